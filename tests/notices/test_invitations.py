"""Invitations: a coordinator adds a person to an organization of their territory (or as a
pair's curator) by name and e-mail; the link sets a password and lands on the home page; the
coordinator sees who has not signed in and can resend."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from notices.models import Invitation
from programs.models import Curator
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def data(world, **changes):
    values = {
        "last_name": "Иванова",
        "first_name": "Мария Петровна",
        "email": "Ivanova@School.ru",
        "organization": world.supported_school.pk,
        "role": "staff",
    }
    values.update(changes)
    return values


def link(message):
    return re.search(r"http://[^\s]+/notices/invitations/accept/[^\s]+/", message.body).group(0)


def test_a_coordinator_invites_a_teacher_who_sets_a_password_and_lands_home(world, as_user):
    response = as_user(world.coordinator).post("/notices/invitations/new/", data(world))
    assert response.status_code == 302
    person = get_user_model().objects.get(email="ivanova@school.ru")
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, organization=world.supported_school).exists()
    assert [m.to for m in mail.outbox] == [["ivanova@school.ru"]]

    visitor = Client()
    form_page = visitor.get(link(mail.outbox[0]), follow=True)
    assert form_page.context["validlink"]
    new_password = "Вектор-2023-развитие"
    landed = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password, "consent": "on"},
        follow=True,
    )
    assert landed.redirect_chain[-1][0] == "/"
    assert landed.context["user"] == person
    person.refresh_from_db()
    assert person.check_password(new_password)
    assert person.last_login is not None
    # The link is spent.
    assert not Client().get(link(mail.outbox[0]), follow=True).context["validlink"]


def test_a_pairs_curator_is_invited_with_the_curatorship(world, as_user):
    as_user(world.coordinator).post(
        "/notices/invitations/new/",
        data(world, organization=world.curator_school.pk, pair=world.pair.pk),
    )
    person = get_user_model().objects.get(email="ivanova@school.ru")
    curator = Curator.objects.get(user=person)
    assert curator.pair == world.pair and curator.organization == world.curator_school
    assert "куратором пары" in mail.outbox[0].body


def test_the_letter_says_who_invites_and_to_which_program(world, as_user):
    world.coordinator.first_name, world.coordinator.last_name = "Ольга", "Синюк"
    world.coordinator.save()
    as_user(world.coordinator).post("/notices/invitations/new/", data(world))
    [letter] = mail.outbox
    assert "Ольга Синюк (ДОиМП Сургутского района) приглашает вас" in letter.body
    assert f"в программе «{world.program.short_title}»" in letter.body
    assert letter.subject.endswith(f": {world.program.short_title}")


def test_a_pairs_curator_is_invited_to_the_pairs_program(world, as_user):
    other = f.ProgramFactory(owner=world.authority, short_title="Другая программа")
    f.ParticipantFactory(program=other, organization=world.curator_school)
    as_user(world.coordinator).post(
        "/notices/invitations/new/",
        data(world, organization=world.curator_school.pk, pair=world.pair.pk),
    )
    body = mail.outbox[0].body
    assert f"в программе «{world.program.short_title}»" in body
    assert "Другая программа" not in body


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": "не-адрес"}, "email", "Введите адрес электронной почты"),
        ({"email": "SCHOOL@example.ru"}, "email", "Пользователь с таким адресом уже есть"),
        ({"last_name": ""}, "last_name", "Обязательное поле."),
        ({"organization": "outsider"}, "organization", "Эта организация не на вашей территории."),
        ({"organization": "branch", "pair": "pair"}, "organization", "одна из двух школ пары"),
    ],
)
def test_a_wrong_invitation_is_refused_and_nothing_is_created(
    world, as_user, changes, field, message
):
    world.school.email = "school@example.ru"
    world.school.save()
    named = {"outsider": world.outsider_school.pk, "branch": world.branch.pk, "pair": world.pair.pk}
    changes = {k: named.get(v, v) for k, v in changes.items()}
    users = get_user_model().objects.count()
    response = as_user(world.coordinator).post("/notices/invitations/new/", data(world, **changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert get_user_model().objects.count() == users
    assert mail.outbox == []


@pytest.mark.parametrize("person", ["curator", "school", "outsider"])
def test_only_coordinators_invite(world, as_user, person):
    client = as_user(world.people[person])
    assert client.get("/notices/invitations/").status_code == 403
    assert client.post("/notices/invitations/new/", data(world)).status_code == 403
    search = {"name": "organization", "q": "СОШ"}
    assert client.get("/notices/invitations/search/", search).status_code == 403


def test_organizations_and_pairs_are_picked_by_search_within_the_territory(world, as_user):
    """A region's coordinator may invite into thousands of organizations: the form lists none
    of them and the search finds only those of the coordinator's territory."""
    for n in range(40):
        f.OrganizationFactory(municipality=world.municipality, short_name=f"СОШ № {n}")
    far = f.OrganizationFactory(short_name="СОШ № 7 другого региона")
    client = as_user(world.coordinator)
    form = client.get("/notices/invitations/new/").content.decode()
    # The roles and the pair's blank choice; none of the 40 schools.
    assert form.count("<option") == len(Membership.Role.choices) + 1
    assert "СОШ № 39" not in form
    found = client.get("/notices/invitations/search/", {"name": "organization", "q": "сош № 7"})
    offered = re.findall(r'data-pick="(\d+)"', found.content.decode())
    assert offered and str(far.pk) not in offered
    pair = client.get(
        "/notices/invitations/search/",
        {"name": "pair", "q": world.pair.supported_school.short_name},
    )
    assert re.findall(r'data-pick="(\d+)"', pair.content.decode()) == [str(world.pair.pk)]
    assert client.get("/notices/invitations/search/", {"name": "role"}).status_code == 404


def test_the_coordinator_sees_who_has_not_signed_in_and_resends(world, as_user):
    coordinator = as_user(world.coordinator)
    coordinator.post("/notices/invitations/new/", data(world))
    invitation = Invitation.objects.get()
    page = coordinator.get("/notices/invitations/")
    assert page.context["waiting"] == 1
    assert "не входил" in page.content.decode()
    coordinator.post(f"/notices/invitations/{invitation.pk}/resend/")
    assert len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.sent_count == 2


def test_another_territorys_invitations_are_out_of_reach(world, as_user):
    as_user(world.coordinator).post("/notices/invitations/new/", data(world))
    invitation = Invitation.objects.get()
    other = as_user(world.other_coordinator)
    assert list(other.get("/notices/invitations/").context["invitations"]) == []
    assert other.post(f"/notices/invitations/{invitation.pk}/resend/").status_code == 404
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_the_invitation_for_a_resend(world, as_user, settings):
    settings.EMAIL_BACKEND = "tests.notices.test_sending.FailsOnce"
    from tests.notices.test_sending import FailsOnce

    FailsOnce.failed = False
    coordinator = as_user(world.coordinator)
    response = coordinator.post("/notices/invitations/new/", data(world), follow=True)
    assert "не отправлено" in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.sent_count == 0
    coordinator.post(f"/notices/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.sent_count == 1
    assert len(mail.outbox) == 1
