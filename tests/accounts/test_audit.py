"""The audit trail: what is recorded, with whom, when and from where; who reads it (the
territory's coordinators, the administrator); its export; rows never change; pruning."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.audit import Action
from accounts.models import AuditEvent
from expertise.models import Contest, Practice, Submission
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"
URL = "/accounts/audit/"


def actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_a_sign_in_and_a_failure_are_recorded_with_the_address_and_browser(world):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0", REMOTE_ADDR="10.1.2.3")
    client.post(reverse("login"), {"username": "school", "password": "не-тот"})
    client.post(reverse("login"), {"username": "school", "password": PASSWORD})
    failed, signed_in = AuditEvent.objects.order_by("pk")
    assert failed.action == Action.SIGN_IN_FAILED and failed.target == world.school
    assert failed.details["username"] == "school" and failed.actor is None
    assert signed_in.action == Action.SIGN_IN and signed_in.actor == world.school
    assert signed_in.ip_address == "10.1.2.3"
    assert "Firefox" in signed_in.user_agent


def test_a_password_change_is_recorded(world, as_user):
    as_user(world.school).post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Новый-2026-пароль",
            "new_password2": "Новый-2026-пароль",
        },
    )
    assert Action.PASSWORD_CHANGED in actions()


def test_places_of_work_and_rights_granted_changed_and_taken_are_recorded(world):
    person = f.UserFactory(username="new")
    membership = Membership.objects.create(user=person, organization=world.supported_school)
    membership.role = Membership.Role.COORDINATOR
    membership.save()
    membership.delete()
    person.is_staff = True
    person.save()
    assert actions() == [
        Action.MEMBERSHIP_GRANTED,
        Action.MEMBERSHIP_CHANGED,
        Action.MEMBERSHIP_REVOKED,
        Action.STAFF_GRANTED,
    ]
    changed = AuditEvent.objects.get(action=Action.MEMBERSHIP_CHANGED)
    assert changed.details == {"role": "coordinator", "role_before": "staff"}
    assert changed.organization == world.supported_school and changed.target == person


def test_a_membership_given_through_the_admin_names_the_administrator(world, superuser):
    client = Client()
    client.force_login(superuser)
    person = f.UserFactory(username="new")
    client.post(
        reverse("admin:schools_membership_add"),
        {"user": person.pk, "organization": world.supported_school.pk, "role": "coordinator"},
    )
    event = AuditEvent.objects.get(action=Action.MEMBERSHIP_GRANTED, target=person)
    assert event.actor == superuser


def test_invitations_sent_and_accepted_are_recorded(world, as_user):
    import re

    from django.core import mail

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
    sent = AuditEvent.objects.get(action=Action.INVITATION_SENT)
    assert sent.actor == world.coordinator and sent.organization == world.supported_school
    url = re.search(r"http://[^\s]+/accept/[^\s]+/", mail.outbox[0].body).group(0)
    visitor = Client()
    page = visitor.get(url, follow=True)
    visitor.post(
        page.redirect_chain[-1][0],
        {
            "new_password1": "Вектор-2023-развитие",
            "new_password2": "Вектор-2023-развитие",
            "consent": "on",
        },
    )
    accepted = AuditEvent.objects.get(action=Action.INVITATION_ACCEPTED)
    assert accepted.actor.email == "ivanova@school.ru"


def test_a_jury_score_is_recorded(world, as_user):
    contest = Contest.objects.create(program=world.program, title="Панорама", max_score=10)
    contest.jury.add(world.curator)
    practice = Practice.objects.create(title="Квест", author_school=world.supported_school)
    work = Submission.objects.create(contest=contest, practice=practice)
    as_user(world.curator).post(reverse("expertise:jury_score", args=[work.pk]), {"score": 8})
    event = AuditEvent.objects.get(action=Action.JURY_SCORE)
    assert event.actor == world.curator and event.details["score"] == 8


def _events(world):
    audit.record(Action.SIGN_IN, actor=world.school, target=world.school)
    audit.record(Action.SIGN_IN, actor=world.outsider, target=world.outsider)
    audit.record(
        Action.JURY_SCORE, actor=world.curator, organization=world.supported_school, score=3
    )


@pytest.mark.parametrize(
    "person, shown",
    [
        # Each coordinator's own sign-in (the test client's) is an event of their territory.
        ("region", {"region", "school", "outsider", "curator"}),
        ("coordinator", {"coordinator", "school", "curator"}),
        ("other_coordinator", {"other_coordinator", "outsider"}),
    ],
)
def test_coordinators_read_their_territorys_events(world, as_user, person, shown):
    _events(world)
    response = as_user(world.people[person]).get(URL)
    assert response.status_code == 200
    actors = {row.record.actor.username for row in response.context["table"].rows}
    assert actors == shown


@pytest.mark.parametrize("person", ["curator", "school", "outsider"])
def test_others_may_not_read_the_trail(world, as_user, person):
    assert as_user(world.people[person]).get(URL).status_code == 403


def test_the_administrator_reads_every_event_and_a_visitor_signs_in_first(world, superuser):
    _events(world)
    client = Client()
    client.force_login(superuser)
    rows = client.get(URL).context["table"].rows
    # With the administrator's rights given when the account was made, and their sign-in.
    assert [row.record.action for row in rows] == [
        Action.SIGN_IN,
        Action.JURY_SCORE,
        Action.SIGN_IN,
        Action.SIGN_IN,
        Action.STAFF_GRANTED,
    ]
    assert Client().get(URL).status_code == 302


def test_the_trail_is_exported_to_excel(world, as_user):
    from openpyxl import load_workbook

    _events(world)
    response = as_user(world.coordinator).get(URL, {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("Когда", "Событие", "Кто")
    assert {row[1] for row in rows[1:]} == {"вход", "оценка жюри"}


def test_the_trail_is_filtered_by_action_and_person(world, as_user):
    _events(world)
    client = as_user(world.region_coordinator)
    rows = client.get(URL, {"action": "jury_score"}).context["table"].rows
    assert [row.record.actor for row in rows] == [world.curator]
    rows = client.get(URL, {"person": "outsider"}).context["table"].rows
    assert [row.record.actor for row in rows] == [world.outsider]


@pytest.mark.parametrize("count", [5, 50])
def test_the_pages_queries_do_not_grow_with_the_events(
    world, as_user, count, django_assert_max_num_queries
):
    for _ in range(count):
        audit.record(Action.SIGN_IN, actor=world.school, target=world.school)
    client = as_user(world.coordinator)
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_a_row_is_never_changed(world):
    event = audit.record(Action.SIGN_IN, actor=world.school, target=world.school)
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.SIGN_OUT)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(details={"forged": True})


def test_housekeeping_prunes_the_trail_and_sign_in_records_after_their_days(world, settings):
    from axes.models import AccessLog

    settings.AUDIT_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    AuditEvent.objects.create(action=Action.SIGN_IN, actor=world.school, at=old)
    kept = audit.record(Action.SIGN_IN, actor=world.school)
    AccessLog.objects.create(username="school", ip_address="10.0.0.1", user_agent="x")
    AccessLog.objects.update(attempt_time=old)
    AccessLog.objects.create(username="school", ip_address="10.0.0.2", user_agent="y")
    call_command("housekeeping", stdout=io.StringIO())
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["10.0.0.2"]
