"""The leading signals of a school, counted from its own work, and said in words."""

import datetime

from django.utils import timezone

from forecasts.compute import recompute
from forecasts.leading import CURATOR_IDLE_WEEKS, school_signals, words
from forecasts.models import SchoolSignals
from monitoring.models import Measurement
from roadmaps.models import ItemReport, Roadmap, RoadmapItem
from schools.models import RiskFactor, RiskLevel, RiskProfile
from tests import factories as f

from .conftest import supported

NOW = timezone.make_aware(datetime.datetime(2023, 9, 1, 12, 0))


def signals_of(world, school):
    return next(s for s in school_signals(world.program, NOW) if s.school_id == school.pk)


def test_late_items_are_the_schools_own_part(world):
    school, other = world.supported_school, supported(world, "МБОУ «Другая СОШ»")
    roadmap = f.RoadmapFactory(program=world.program)
    late = f.RoadmapItemFactory(roadmap=roadmap, due_on=datetime.date(2023, 6, 30))
    done = f.RoadmapItemFactory(roadmap=roadmap, due_on=datetime.date(2023, 6, 30))
    f.ItemExecutionFactory(item=late, organization=school)
    f.ItemExecutionFactory(
        item=done, organization=school, status=RoadmapItem.Status.DONE, completed_on=NOW.date()
    )
    # The other school has done its part of the late item: not late for it.
    f.ItemExecutionFactory(
        item=late, organization=other, status=RoadmapItem.Status.DONE, completed_on=NOW.date()
    )
    mine = signals_of(world, school)
    assert (mine.items_total, mine.items_late) == (2, 1)
    assert "1 мероприятие дорожной карты просрочено" in words(mine)
    assert signals_of(world, other).items_late == 0


def test_an_event_missed_is_one_held_the_school_was_invited_to_and_did_not_attend(world):
    school = world.supported_school
    held = [
        f.EventFactory(program=world.program, starts_at=NOW - datetime.timedelta(days=d))
        for d in (30, 20, 10)
    ]
    ahead = f.EventFactory(program=world.program, starts_at=NOW + datetime.timedelta(days=3))
    for event in (*held, ahead):
        event.invited.add(school)
    f.AttendanceFactory(event=held[0], organization=school)
    mine = signals_of(world, school)
    assert (mine.events_invited, mine.events_missed) == (3, 2)
    assert "пропущены 2 из 3 событий программы" in words(mine)


def test_values_sent_after_the_points_deadline_are_late(world):
    school = world.supported_school
    point = f.MonitoringPointFactory(
        program=world.program,
        date=datetime.date(2023, 5, 31),
        entry_deadline=datetime.date(2023, 6, 10),
    )
    for day, code in ((5, "1"), (20, "2"), (25, "3")):
        f.MeasurementFactory(
            indicator=f.IndicatorFactory(program=world.program, code=code),
            point=point,
            organization=school,
            status=Measurement.Status.SUBMITTED,
            submitted_at=timezone.make_aware(datetime.datetime(2023, 6, day, 12)),
        )
    mine = signals_of(world, school)
    assert mine.values_late == 2
    assert "2 значения отправлены позже срока" in words(mine)


def test_the_curator_is_silent_since_their_last_report_review_or_approval(world):
    school = world.supported_school
    roadmap = f.RoadmapFactory(program=world.program, level=Roadmap.Level.PAIR, pair=world.pair)
    item = f.RoadmapItemFactory(roadmap=roadmap)
    ItemReport.objects.create(
        item=item,
        author=world.curator,
        status=RoadmapItem.Status.IN_PROGRESS,
        created_at=NOW - datetime.timedelta(weeks=6, days=2),
    )
    mine = signals_of(world, school)
    assert mine.curator_idle_weeks == 6
    assert "куратор не вёл работу в портале 6 недель" in words(mine)
    # A report by someone else is not the curator's activity; one by the curator is.
    ItemReport.objects.create(
        item=item, author=world.school, status=RoadmapItem.Status.IN_PROGRESS, created_at=NOW
    )
    assert signals_of(world, school).curator_idle_weeks == 6
    ItemReport.objects.create(
        item=item,
        author=world.curator,
        status=RoadmapItem.Status.IN_PROGRESS,
        created_at=NOW - datetime.timedelta(days=3),
    )
    assert signals_of(world, school).curator_idle_weeks == 0


def test_signing_in_is_not_the_curators_activity(world):
    world.curator.last_login = NOW
    world.curator.save()
    world.program.starts_on = datetime.date(2023, 1, 9)
    world.program.save()
    mine = signals_of(world, world.supported_school)
    assert mine.curator_idle_weeks >= CURATOR_IDLE_WEEKS


def test_an_approval_by_the_curator_is_activity(world):
    point = f.MonitoringPointFactory(program=world.program)
    f.MeasurementFactory(
        indicator=f.IndicatorFactory(program=world.program),
        point=point,
        organization=world.supported_school,
        status=Measurement.Status.APPROVED,
        approved_by=world.curator,
        approved_at=NOW - datetime.timedelta(weeks=2),
    )
    assert signals_of(world, world.supported_school).curator_idle_weeks == 2


def test_a_high_risk_without_measures_is_counted(world):
    factor = RiskFactor.objects.create(code="1", title="Дефицит кадров", group="Кадры", order=1)
    profile = RiskProfile.objects.create(
        school=world.supported_school, assessed_on=datetime.date(2023, 1, 1)
    )
    RiskLevel.objects.create(profile=profile, factor=factor, level=RiskLevel.Level.HIGH)
    mine = signals_of(world, world.supported_school)
    assert mine.high_risks_without_measures == 1
    assert "1 высокий риск без мер" in words(mine)


def test_a_school_whose_work_goes_to_plan_has_no_reasons(world):
    roadmap = f.RoadmapFactory(program=world.program, level=Roadmap.Level.PAIR, pair=world.pair)
    ItemReport.objects.create(
        item=f.RoadmapItemFactory(roadmap=roadmap),
        author=world.curator,
        status=RoadmapItem.Status.IN_PROGRESS,
        created_at=NOW,
    )
    mine = signals_of(world, world.supported_school)
    assert mine.reasons == [] and words(mine) == []


def test_the_signals_are_stored_with_the_forecasts(world):
    recompute(world.program, now=NOW)
    stored = SchoolSignals.objects.get(program=world.program, school=world.supported_school)
    assert stored.computed_at == NOW
