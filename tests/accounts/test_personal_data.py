"""Personal data (152-ФЗ): a person's page of what the portal keeps and its export; consent on
accepting an invitation; an administrator's deactivation and erasure; the privacy page."""

import json
import re

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from qsessions.models import Session

from accounts import audit, personal_data
from accounts.audit import Action
from accounts.models import AuditEvent, Consent
from expertise.models import Contest, JuryScore, Practice, Submission
from notices.models import CalendarFeed, Invitation

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"


@pytest.mark.parametrize("person", ["region", "coordinator", "curator", "school", "outsider"])
def test_each_person_sees_their_own_data_and_no_one_elses(world, as_user, person):
    user = world.people[person]
    page = as_user(user).get(reverse("accounts:my_data"))
    assert page.status_code == 200
    text = page.content.decode()
    assert user.get_username() in text
    others = {p.get_username() for p in world.people.values()} - {user.get_username()}
    assert not any(f">{name}<" in text for name in others)


def test_the_page_lists_memberships_sign_ins_and_what_they_wrote(world, as_user):
    contest = Contest.objects.create(program=world.program, title="Панорама", max_score=10)
    practice = Practice.objects.create(title="Квест", author_school=world.supported_school)
    work = Submission.objects.create(contest=contest, practice=practice)
    JuryScore.objects.create(submission=work, juror=world.curator, score=5)
    client = Client(HTTP_USER_AGENT="Firefox/140.0", REMOTE_ADDR="10.1.1.1")
    client.post(reverse("login"), {"username": "curator", "password": PASSWORD})
    sections = client.get(reverse("accounts:my_data")).context["sections"]
    assert sections["Места работы"][0]["организация"] == str(world.curator_school)
    assert sections["Входы и события безопасности"][0]["адрес"] == "10.1.1.1"
    assert {"что": "Оценки жюри", "записей": 1} in sections["Что внесено на портал"]


def test_the_export_is_the_same_data_as_a_file_and_is_recorded(world, as_user):
    response = as_user(world.school).get(reverse("accounts:my_data"), {"format": "json"})
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["Учётная запись"]["имя для входа"] == "school"
    assert AuditEvent.objects.filter(action=Action.DATA_EXPORTED, target=world.school).exists()


def test_the_privacy_page_is_open_to_everyone(db, client, settings):
    settings.PRIVACY_OPERATOR = "Департамент образования Югры"
    page = client.get(reverse("accounts:privacy"))
    assert page.status_code == 200
    assert "Департамент образования Югры" in page.content.decode()
    assert "152-ФЗ" in page.content.decode()


def _invite(world, as_user):
    as_user(world.coordinator).post(
        "/notices/invitations/new/",
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "email": "ivanova@school.ru",
            "organization": world.supported_school.pk,
            "role": "staff",
        },
    )
    return re.search(r"http://[^\s]+/accept/[^\s]+/", mail.outbox[-1].body).group(0)


def test_accepting_an_invitation_needs_and_records_consent(world, as_user):
    visitor = Client(REMOTE_ADDR="10.2.2.2")
    page = visitor.get(_invite(world, as_user), follow=True)
    url = page.redirect_chain[-1][0]
    new = "Вектор-2023-развитие"
    refused = visitor.post(url, {"new_password1": new, "new_password2": new})
    assert "Без согласия на обработку персональных данных" in refused.content.decode()
    person = get_user_model().objects.get(email="ivanova@school.ru")
    assert not person.has_usable_password() and not Consent.objects.exists()
    visitor.post(url, {"new_password1": new, "new_password2": new, "consent": "on"})
    consent = Consent.objects.get(user=person)
    assert consent.ip_address == "10.2.2.2" and consent.version


def test_deactivation_ends_sessions_feeds_and_pending_invitations(world, as_user, superuser):
    _invite(world, as_user)
    invited = get_user_model().objects.get(email="ivanova@school.ru")
    signed_in = as_user(world.school)
    feed = CalendarFeed.of(world.school)
    personal_data.deactivate(world.school, by=superuser)
    personal_data.deactivate(invited, by=superuser)
    assert signed_in.get(reverse("schools:list")).status_code == 302
    assert not Session.objects.filter(user=world.school).exists()
    assert Client().get(reverse("notices:feed", args=[feed.token])).status_code == 404
    assert not Invitation.objects.filter(user=invited).exists()
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_DEACTIVATED).count() == 2


def test_the_admin_deactivates_and_erases_through_its_actions(world, superuser):
    admin = Client()
    admin.force_login(superuser)
    url = reverse("admin:auth_user_changelist")
    admin.post(url, {"action": "deactivate", "_selected_action": [world.outsider.pk]})
    world.outsider.refresh_from_db()
    assert not world.outsider.is_active
    admin.post(url, {"action": "erase", "_selected_action": [world.outsider.pk]})
    world.outsider.refresh_from_db()
    assert world.outsider.get_full_name() == "удалённый пользователь"


def test_erasure_anonymises_in_place_and_keeps_what_they_entered(world, superuser):
    contest = Contest.objects.create(program=world.program, title="Панорама", max_score=10)
    practice = Practice.objects.create(title="Квест", author_school=world.supported_school)
    work = Submission.objects.create(contest=contest, practice=practice)
    score = JuryScore.objects.create(submission=work, juror=world.curator, score=5)
    client = Client(HTTP_USER_AGENT="Firefox/140.0", REMOTE_ADDR="10.3.3.3")
    client.post(reverse("login"), {"username": "curator", "password": "не-тот"})
    client.post(reverse("login"), {"username": "curator", "password": PASSWORD})
    audit.record(Action.JURY_SCORE, actor=world.curator, request=None, score=5)
    assert AccessLog.objects.filter(username="curator").exists()
    pk = world.curator.pk
    personal_data.erase(world.curator, by=superuser)

    person = get_user_model().objects.get(pk=pk)
    assert person.get_full_name() == "удалённый пользователь"
    assert person.email == "" and not person.is_active and not person.has_usable_password()
    assert person.username != "curator"
    score.refresh_from_db()
    assert score.juror_id == pk and score.score == 5
    assert world.pair.curators.get(user=person).full_name == "удалённый пользователь"
    rows = AuditEvent.objects.filter(target=person) | AuditEvent.objects.filter(actor=person)
    assert not rows.exclude(ip_address=None).exists()
    assert not rows.exclude(user_agent="").exists()
    assert not AccessLog.objects.filter(username="curator").exists()
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_ERASED, target=person).exists()
