"""Roadmap deadlines, values and documents, monitoring points and the weekly digest: who is
told of each, and who is not (an outsider never is)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import Measurement
from notices.models import Kind, Notification
from programs.models import Document, Review
from roadmaps.models import RoadmapItem
from tests import factories as f

from .helpers import round_at, told

pytestmark = pytest.mark.django_db


def local_today(world):
    return timezone.localtime(timezone.now(), timezone.get_fixed_timezone(300)).date()


@pytest.fixture
def roadmap(people):
    return f.RoadmapFactory(program=people.program, title="Дорожная карта проекта")


def item(roadmap, due_on, *responsible):
    made = f.RoadmapItemFactory(roadmap=roadmap, starts_on=None, due_on=due_on)
    made.responsible.add(*responsible)
    return made


# Roadmap deadlines ----------------------------------------------------------------------


def test_an_item_due_in_7_days_is_told_to_the_responsible_school_and_its_curator(people, roadmap):
    today = local_today(people)
    due = item(roadmap, today + timedelta(days=7), people.supported_school, people.outsider_school)
    round_at(timezone.now())
    assert told(Kind.ITEM_DUE) == {"school", "curator"}
    assert Notification.objects.get(kind=Kind.ITEM_DUE, recipient=people.school).subject == due


def test_an_item_due_tomorrow_is_told_again_and_each_only_once(people, roadmap):
    today = local_today(people)
    due = item(roadmap, today + timedelta(days=5), people.supported_school)
    round_at(timezone.now())
    due.due_on = today + timedelta(days=1)
    due.save()
    round_at(timezone.now())
    round_at(timezone.now())
    occasions = sorted(
        Notification.objects.filter(kind=Kind.ITEM_DUE, recipient=people.school).values_list(
            "occasion", flat=True
        )
    )
    assert occasions == [f"1:{due.due_on}", f"7:{today + timedelta(days=5)}"]


def test_an_item_that_just_became_late_is_told_once(people, roadmap):
    today = local_today(people)
    item(roadmap, today - timedelta(days=1), people.supported_school)
    item(roadmap, today - timedelta(days=30), people.supported_school)  # long late: told before
    done = item(roadmap, today - timedelta(days=1), people.supported_school)
    done.set_status(RoadmapItem.Status.DONE)
    done.save()
    round_at(timezone.now())
    round_at(timezone.now())
    assert told(Kind.ITEM_LATE) == {"school", "curator"}
    assert Notification.objects.filter(kind=Kind.ITEM_LATE).count() == 2


def test_the_curators_of_a_pair_roadmap_are_told_of_its_items(people):
    roadmap = f.RoadmapFactory(program=people.program, level="pair", pair=people.pair)
    item(roadmap, local_today(people) + timedelta(days=3))
    round_at(timezone.now())
    assert told(Kind.ITEM_DUE) == {"curator"}


# Values ---------------------------------------------------------------------------------


@pytest.fixture
def point(people):
    return f.MonitoringPointFactory(program=people.program, title="Май 2023")


@pytest.fixture
def indicator(people):
    return f.IndicatorFactory(program=people.program, level="school")


def values(point, indicator, school, status, **fields):
    return f.MeasurementFactory(
        point=point, indicator=indicator, organization=school, status=status, **fields
    )


def test_submitted_values_are_told_to_those_who_may_approve_them(people, point, indicator):
    values(
        point,
        indicator,
        people.supported_school,
        Measurement.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    round_at(timezone.now())
    # The municipal coordinator, the regional one (the school is in their region) and the pair's
    # curator may approve; the school itself, the other municipality's coordinator and the
    # outsider may not.
    assert told(Kind.VALUES_SUBMITTED) == {"coordinator", "region", "curator"}
    assert told(Kind.VALUES_WAITING) == set()


def test_values_waiting_more_than_48_hours_are_told_again(people, point, indicator):
    values(
        point,
        indicator,
        people.supported_school,
        Measurement.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(hours=49),
    )
    round_at(timezone.now())
    round_at(timezone.now())
    assert told(Kind.VALUES_WAITING) == {"coordinator", "region", "curator"}
    assert Notification.objects.filter(kind=Kind.VALUES_WAITING).count() == 3


def test_returned_values_are_told_to_the_school(people, point, indicator):
    value = values(
        point,
        indicator,
        people.supported_school,
        Measurement.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=5),
    )
    value.send_back(people.coordinator, "Проверьте долю")
    value.save()
    values(point, f.IndicatorFactory(program=people.program), people.outsider_school, "draft")
    round_at(timezone.now())
    assert told(Kind.VALUES_RETURNED) == {"school"}
    notice = Notification.objects.get(kind=Kind.VALUES_RETURNED)
    assert notice.url == f"/monitoring/points/{point.pk}/schools/{people.supported_school.pk}/"


def test_a_returned_values_letter_names_the_indicator_and_the_remark(people, point, indicator):
    from django.core import mail

    indicator.title, indicator.source = "Качество знаний и успеваемость", "ВПР"
    indicator.save()
    kept = f.IndicatorFactory(program=people.program, title="Доля педагогов")
    for each, remark in ((indicator, "Проверьте долю: в выгрузке 41,5"), (kept, None)):
        value = values(
            point,
            each,
            people.supported_school,
            Measurement.Status.SUBMITTED,
            submitted_at=timezone.now() - timedelta(days=5),
        )
        if remark:
            value.send_back(people.coordinator, remark)
            value.save()
    round_at(timezone.now(), mail=True)
    notice = Notification.objects.get(kind=Kind.VALUES_RETURNED)
    line = (
        f"— {indicator.code}. Качество знаний и успеваемость (ВПР): Проверьте долю: в выгрузке 41,5"
    )
    assert line in notice.body
    assert "Доля педагогов" not in notice.body
    [letter] = [m for m in mail.outbox if "возвращены" in m.subject]
    assert line in letter.body


def test_approved_values_are_told_to_the_school(people, point, indicator):
    value = values(point, indicator, people.supported_school, Measurement.Status.SUBMITTED)
    value.approve(people.coordinator)
    value.save()
    round_at(timezone.now())
    assert told(Kind.VALUES_APPROVED) == {"school"}


# Documents ------------------------------------------------------------------------------


@pytest.fixture
def document(people):
    return f.DocumentFactory(program=people.program, organization=people.supported_school)


def test_a_submitted_document_is_told_to_its_reviewers(people, document):
    expert = f.UserFactory(username="expert")
    Review.objects.create(document=document, reviewer=expert)
    document.status = Document.Status.SUBMITTED
    document.save()
    round_at(timezone.now())
    assert told(Kind.DOCUMENT_SUBMITTED) == {"coordinator", "region", "expert"}


def test_a_returned_document_is_told_to_the_school(people, document):
    document.status = Document.Status.NEEDS_REVISION
    document.save()
    round_at(timezone.now())
    assert told(Kind.DOCUMENT_RETURNED) == {"school"}
    document.status = Document.Status.APPROVED
    document.save()
    round_at(timezone.now())
    assert told(Kind.DOCUMENT_APPROVED) == {"school"}


def test_a_document_waiting_more_than_48_hours_is_told_again(people, document):
    document.status = Document.Status.SUBMITTED
    document.save()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now() - timedelta(days=3))
    round_at(timezone.now())
    assert told(Kind.DOCUMENT_WAITING) == {"coordinator", "region"}


# Monitoring points ----------------------------------------------------------------------


def test_an_open_point_is_told_to_schools_that_have_not_sent_their_values(people, point, indicator):
    today = local_today(people)
    point.date = today - timedelta(days=1)
    point.entry_deadline = today + timedelta(days=2)
    point.save()
    round_at(timezone.now())
    round_at(timezone.now())
    assert told(Kind.POINT_OPEN) == {"school"}
    assert told(Kind.POINT_DEADLINE) == {"school"}


def test_a_school_that_sent_everything_is_not_reminded(people, point, indicator):
    today = local_today(people)
    point.date = today
    point.entry_deadline = today + timedelta(days=1)
    point.save()
    values(point, indicator, people.supported_school, Measurement.Status.SUBMITTED)
    round_at(timezone.now())
    assert told(Kind.POINT_OPEN) == set()
    assert told(Kind.POINT_DEADLINE) == set()


def test_a_point_not_yet_open_or_locked_is_not_told(people, point, indicator):
    today = local_today(people)
    point.date = today + timedelta(days=10)
    point.save()
    locked = f.MonitoringPointFactory(program=people.program, date=today, locked=True)
    assert locked.pk
    round_at(timezone.now())
    assert told(Kind.POINT_OPEN) == set()


# Weekly digest --------------------------------------------------------------------------


def test_coordinators_get_a_weekly_digest_of_their_territory(people, roadmap, point, indicator):
    item(roadmap, local_today(people) - timedelta(days=10), people.supported_school)
    values(
        point,
        indicator,
        people.supported_school,
        Measurement.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    round_at(timezone.now())
    round_at(timezone.now())
    assert told(Kind.DIGEST, read_at__isnull=True) == {"coordinator", "region"}
    digest = Notification.objects.get(kind=Kind.DIGEST, recipient=people.coordinator)
    assert digest.title.startswith("Сводка за неделю") and "Сургутский район" in digest.title
    # Titled with the week's dates, Monday to Sunday, not the week's number.
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    dates = (
        f"{monday:%d.%m}–{sunday:%d.%m.%Y}"
        if monday.year == sunday.year
        else f"{monday:%d.%m.%Y}–{sunday:%d.%m.%Y}"
    )
    assert digest.title.startswith(f"Сводка за неделю {dates} — ")
    assert "просроченных мероприятий дорожных карт: 1" in digest.body
    # The other municipality's coordinator has nothing late or waiting: the week is kept as
    # read, without a letter; the school staff and the outsider are no coordinators.
    quiet = Notification.objects.get(kind=Kind.DIGEST, recipient=people.other_coordinator)
    assert quiet.read_at is not None and quiet.email_state == "skipped"
    assert "г. Мегион" in quiet.title
    assert told(Kind.DIGEST) == {"coordinator", "region", "other_coordinator"}
    assert "значений школ ждут утверждения: 1" in digest.body
    # Next week, a new one.
    round_at(timezone.now() + timedelta(days=7))
    assert Notification.objects.filter(kind=Kind.DIGEST, recipient=people.coordinator).count() == 2


def test_an_outsider_is_never_told_anything(people, roadmap, point, indicator):
    today = local_today(people)
    item(roadmap, today + timedelta(days=1), people.supported_school)
    item(roadmap, today - timedelta(days=1), people.supported_school)
    values(
        point,
        indicator,
        people.supported_school,
        Measurement.Status.SUBMITTED,
        submitted_at=timezone.now() - timedelta(hours=50),
    )
    event = f.EventFactory(program=people.program, starts_at=timezone.now() + timedelta(days=3))
    event.invited.add(people.supported_school, people.outsider_school)
    round_at(timezone.now())
    assert Notification.objects.filter(recipient=people.outsider).count() == 0
    # The other municipality's coordinator has only their own, quiet, weekly digest.
    assert list(
        Notification.objects.filter(recipient=people.other_coordinator).values_list(
            "kind", "email_state"
        )
    ) == [(Kind.DIGEST, "skipped")]


def test_a_point_without_a_deadline_closes_by_the_programs_window(people, point, indicator):
    today = local_today(people)
    window = people.program.entry_window_days
    point.date = today - timedelta(days=window - 2)
    point.entry_deadline = None
    point.save()
    round_at(timezone.now())
    closes_on = today + timedelta(days=2)
    assert told(Kind.POINT_DEADLINE, occasion=f"{people.supported_school.pk}:{closes_on}") == {
        "school"
    }
