"""A point's queue for its approvers: sheets of every school, many approved or returned at
once after a confirmation (set-based, with the approver and history recorded), the count of
values changed since their last approval, and «напомнить не сдавшим» once a day per school."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import services
from monitoring.models import Indicator, Measurement
from notices.models import Kind, Notification
from programs.models import Participant
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

SUBMITTED, APPROVED, RETURNED = (
    Measurement.Status.SUBMITTED,
    Measurement.Status.APPROVED,
    Measurement.Status.RETURNED,
)


@pytest.fixture
def point(world):
    today = timezone.localdate()
    return f.MonitoringPointFactory(
        program=world.program,
        title="Второй срок мониторинга",
        date=today,
        entry_deadline=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def indicators(world):
    return [
        f.IndicatorFactory(program=world.program, level=Indicator.Level.SCHOOL, order=n)
        for n in (1, 2)
    ]


def add_school(world, name):
    school = f.OrganizationFactory(municipality=world.municipality, short_name=name)
    f.ParticipantFactory(
        program=world.program, organization=school, role=Participant.Role.SUPPORTED
    )
    return school


def send(point, indicators, school, user=None, count=None):
    for indicator in indicators[:count]:
        f.MeasurementFactory(
            indicator=indicator,
            point=point,
            organization=school,
            value=40,
            status=SUBMITTED,
            entered_by=user,
            submitted_at=timezone.now(),
        )


@pytest.fixture
def sent(world, point, indicators):
    """The supported school has sent its whole sheet, a second school half of it, a third
    nothing."""
    second = add_school(world, "МБОУ «Ляминская СОШ»")
    third = add_school(world, "МБОУ «Высокомысовская СОШ»")
    send(point, indicators, world.supported_school, world.school)
    send(point, indicators, second, count=1)
    return second, third


def queue_url(point):
    return reverse("monitoring:queue", args=[point.pk])


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("coordinator", 200),
        ("region", 200),
        ("curator", 200),
        ("school", 403),
        ("other_coordinator", 404),
        ("outsider", 404),
    ],
)
def test_the_queue_is_for_approvers(world, point, sent, as_user, person, status):
    assert as_user(world.people[person]).get(queue_url(point)).status_code == status


def test_approving_many_sheets_asks_first_then_approves_them_all(world, point, sent, as_user):
    second, _ = sent
    client = as_user(world.coordinator)
    data = {"schools": [world.supported_school.pk, second.pk], "action": "approve"}
    confirm = client.post(queue_url(point), data)
    assert confirm.status_code == 200
    assert "Утвердить значения: 2 школы" in confirm.text
    assert not Measurement.objects.filter(status=APPROVED).exists()
    history_before = Measurement.history.count()
    done = client.post(queue_url(point), {**data, "confirm": "1"}, follow=True)
    assert "Значений утверждено: 3; школ: 2." in done.text
    approved = Measurement.objects.filter(point=point)
    assert {(m.status, m.approved_by_id) for m in approved} == {(APPROVED, world.coordinator.pk)}
    assert all(m.revision == 2 for m in approved)
    # The history holds the decision as one set: one row per value, by the approver.
    rows = Measurement.history.all()[: Measurement.history.count() - history_before]
    assert Measurement.history.count() - history_before == 3
    assert {(r.status, r.history_user_id) for r in rows} == {(APPROVED, world.coordinator.pk)}
    assert len({r.history_date for r in rows}) == 1


def test_approval_is_undone_by_returning_with_a_remark(world, point, sent, as_user):
    client = as_user(world.coordinator)
    data = {"schools": [world.supported_school.pk], "confirm": "1"}
    client.post(queue_url(point), {**data, "action": "approve"})
    refused = client.post(queue_url(point), {**data, "action": "return"})
    assert "Укажите, что исправить" in refused.text
    assert set(
        Measurement.objects.filter(organization=world.supported_school).values_list(
            "status", flat=True
        )
    ) == {APPROVED}
    client.post(queue_url(point), {**data, "action": "return", "remark": "Проверьте долю"})
    values = Measurement.objects.filter(organization=world.supported_school)
    assert {(m.status, m.review_comment, m.approved_by) for m in values} == {
        (RETURNED, "Проверьте долю", None)
    }


def test_the_queue_says_whose_sheet_is_complete_by_the_points_rule(world, point, sent, as_user):
    rows = as_user(world.coordinator).get(queue_url(point)).context["rows"]
    complete = {row["school"].pk for row in rows if row["complete"]}
    assert complete == set(point.complete_schools().values_list("organization", flat=True))
    assert complete == {world.supported_school.pk}


def test_a_school_with_nothing_to_decide_cannot_be_chosen(world, point, sent, as_user):
    _, third = sent
    page = as_user(world.coordinator).post(
        queue_url(point), {"schools": [third.pk], "action": "approve", "confirm": "1"}
    )
    assert page.status_code == 200
    assert "решать нечего" in page.text
    # The curator decides only on the pair's school: the other school's values are not theirs.
    second, _ = sent
    as_user(world.curator).post(
        queue_url(point), {"schools": [second.pk], "action": "approve", "confirm": "1"}
    )
    assert not Measurement.objects.filter(organization=second, status=APPROVED).exists()


def test_nobody_approves_a_value_they_entered(world, point, indicators, as_user):
    send(point, indicators, world.supported_school, world.coordinator)
    page = as_user(world.coordinator).get(queue_url(point))
    assert f'value="{world.supported_school.pk}"' not in page.text


def test_the_queue_counts_values_changed_since_their_last_approval(world, point, sent, as_user):
    client = as_user(world.coordinator)
    client.post(
        queue_url(point),
        {"schools": [world.supported_school.pk], "action": "approve", "confirm": "1"},
    )
    value = Measurement.objects.filter(organization=world.supported_school).first()
    value.send_back(world.coordinator, "Проверьте")
    value.save()
    value.value = 45
    value.submit(world.school)
    value.save()
    page = client.get(queue_url(point))
    [row] = [r for r in page.context["rows"] if r["school"] == world.supported_school]
    assert (row["waiting"], row["changed"]) == (1, 1)


def test_approving_is_set_based_whatever_the_number_of_schools(world, point, indicators):
    def approve(count, first):
        schools = [add_school(world, f"Школа {n}") for n in range(first, first + count)]
        for school in schools:
            send(point, indicators, school)
        with CaptureQueriesContext(connection) as captured:
            decided = services.decide_sheets(point, schools, world.coordinator, approve=True)
        assert decided == 2 * count
        return len(captured)

    approve(1, 100)  # the approver's reach is worked out once, on the first decision
    assert approve(5, 0) == approve(50, 5)


def test_the_queue_page_makes_the_same_queries_for_5_and_50_schools(
    world, point, indicators, as_user
):
    client = as_user(world.coordinator)

    def grow(count, first):
        for n in range(first, first + count):
            send(point, indicators, add_school(world, f"Школа {n}"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(queue_url(point)).status_code == 200
        return len(captured)

    grow(5, 0)
    few = queries()
    grow(45, 5)
    assert queries() == few


# «Напомнить не сдавшим» -------------------------------------------------------------------------


def remind(client, point):
    return client.post(reverse("notices:remind_missing", args=[point.pk]), follow=True)


def test_the_schools_that_have_not_sent_everything_are_reminded_once_a_day(
    world, point, sent, as_user
):
    second, third = sent
    for school in (second, third):
        f.MembershipFactory(user=f.UserFactory(), organization=school, role=Membership.Role.STAFF)
    client = as_user(world.coordinator)
    page = remind(client, point)
    assert "Напоминание отправлено школам (2)" in page.text
    reminded = Notification.objects.filter(kind=Kind.VALUES_REMINDER)
    assert {n.occasion.split(":")[0] for n in reminded} == {str(second.pk), str(third.pk)}
    assert "отправлено 1 значений из 2" in reminded.get(occasion__startswith=f"{second.pk}:").body
    # The school that sent its whole sheet is not chased.
    assert not reminded.filter(recipient=world.school).exists()
    # A second press the same day, by anyone, adds nothing.
    page = remind(as_user(world.region_coordinator), point)
    assert "Сегодня уже напоминали" in page.text
    assert Notification.objects.filter(kind=Kind.VALUES_REMINDER).count() == 2


@pytest.mark.parametrize(
    ("person", "status"), [("school", 403), ("curator", 403), ("outsider", 404)]
)
def test_only_the_programs_coordinators_remind(world, point, sent, as_user, person, status):
    response = as_user(world.people[person]).post(
        reverse("notices:remind_missing", args=[point.pk])
    )
    assert response.status_code == status
    assert not Notification.objects.filter(kind=Kind.VALUES_REMINDER).exists()


def test_a_decision_by_list_is_one_audit_event_per_school_with_its_values(world, point, indicators):
    from accounts.audit import Action
    from accounts.models import AuditEvent

    schools = [add_school(world, f"Школа {n}") for n in range(3)]
    for school in schools:
        send(point, indicators, school)
    silent = add_school(world, "Школа без значений")

    services.decide_sheets(point, [*schools, silent], world.coordinator, approve=True)

    events = AuditEvent.objects.filter(action=Action.VALUE_APPROVED)
    assert {event.organization for event in events} == set(schools)
    for event in events:
        assert event.actor == world.coordinator
        assert event.details["point"] == point.pk
        assert sorted(event.details["measurements"]) == sorted(
            Measurement.objects.filter(organization=event.organization).values_list("pk", flat=True)
        )

    # Returning with a remark is recorded the same way, as a return.
    services.decide_sheets(point, schools[:1], world.coordinator, approve=False, comment="Нет")
    [returned] = AuditEvent.objects.filter(action=Action.VALUE_RETURNED)
    assert returned.organization == schools[0]
