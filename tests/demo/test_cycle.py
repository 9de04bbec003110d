"""The demo in motion: loaded on any day, each program is in the middle of its current cycle,
dated from that day; a later load moves nothing. Loaded at two pinned days, one module load each
(see test_demo.py for the module-wide transaction)."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from demo import cycle
from expertise import pairing
from expertise.evidence import practice_evidence
from expertise.models import Assignment, ExpertiseRound, Practice
from monitoring.models import MonitoringPoint
from programs.models import Program
from roadmaps.models import Event, ItemExecution, Roadmap, RoadmapItem
from schools.models import Organization

from .test_demo import DOCUMENT_FILES, FAST_HASHER, SURGUT, dump, user

ZONE = ZoneInfo("Asia/Yekaterinburg")
# A Monday in winter and a Sunday at the start of a school year.
DAYS = [date(2026, 3, 2), date(2027, 9, 5)]


@pytest.fixture(scope="module", params=DAYS, ids=str)
def loaded_on(request, django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), FAST_HASHER, media, transaction.atomic():
        call_command(
            "load_demo", "--today", request.param.isoformat(), stdout=io.StringIO(),
            allow_production=True,
        )  # fmt: skip
        yield request.param
        transaction.set_rollback(True)


@pytest.fixture
def day(loaded_on, db):
    return loaded_on


def noon(day):
    return datetime.combine(day, time(12), ZONE)


def surgut():
    return Program.objects.get(short_title=SURGUT)


def test_every_program_has_a_point_open_for_entry_and_one_closed_before(day):
    for program in Program.objects.all():
        open_points = MonitoringPoint.objects.filter(program=program).open_for_entry(day)
        assert [p.title for p in open_points] == [cycle.OPEN_POINT[0]], program
        point = open_points.get()
        assert point.date == day + timedelta(days=7)
        previous = MonitoringPoint.objects.get(program=program, title=cycle.PREVIOUS_POINT[0])
        assert previous.locked and previous.date < day


def test_the_open_point_has_values_sent_approved_and_returned(day):
    point = MonitoringPoint.objects.get(program=surgut(), title=cycle.OPEN_POINT[0])
    statuses = set(point.measurements.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "approved", "returned"}
    returned = point.measurements.get(status="returned")
    assert returned.review_comment == cycle.RETURN_REMARK
    # One school has sent nothing: it is who «напомнить не сдавшим» is for.
    kayukovo = Organization.objects.get(short_name="филиал «Каюковская НШ»")
    assert not point.measurements.filter(organization=kayukovo).exists()
    previous = MonitoringPoint.objects.get(program=surgut(), title=cycle.PREVIOUS_POINT[0])
    assert set(previous.measurements.values_list("status", flat=True)) == {"approved"}
    assert previous.measurements.count() == 25


def test_every_program_has_an_event_ahead_with_invitations(day):
    for program in Program.objects.all():
        ahead = Event.objects.filter(
            program=program, starts_at__gt=noon(day), starts_at__lt=noon(day + timedelta(21))
        )
        assert ahead.exists(), program
        assert all(event.invited.exists() for event in ahead)
    event = Event.objects.get(program=surgut(), title=cycle.EVENT[0])
    assert event.invited.count() == 10  # the order's ten schools


def test_pairs_and_schools_have_items_due_this_week_and_next_some_done_a_few_late(day):
    own = RoadmapItem.objects.filter(roadmap__level__in=[Roadmap.Level.PAIR, Roadmap.Level.SCHOOL])
    assert Roadmap.objects.filter(level=Roadmap.Level.PAIR).count() == 5
    assert own.filter(due_on__gte=day, due_on__lt=day + timedelta(7)).exists()
    assert own.filter(due_on__gte=day + timedelta(7), due_on__lt=day + timedelta(14)).exists()
    assert own.filter(status="done").count() >= 5
    late = own.late(noon(day))
    assert 1 <= late.count() <= 6
    assert {item.roadmap.pair.number for item in late if item.roadmap.pair} == cycle.LATE_PAIRS


def test_the_documents_items_stay_as_written_and_are_done_on_their_deadlines(day):
    documents = RoadmapItem.objects.filter(roadmap__level=Roadmap.Level.PROGRAM)
    assert {
        short: documents.filter(roadmap__program__short_title=short).count()
        for short in DOCUMENT_FILES
    } == {
        "Вектор на развитие": 12,
        "Адресная методическая помощь": 18,
        "Адресная поддержка школ г. Мегиона": 29,
        "«500+» в Хунзахском районе": 18,
        "Модель поддержки ШНОР Аткарского района": 0,
    }
    done = documents.filter(status="done")
    assert done.exists() and all(item.completed_on == item.due_on for item in done)
    # Of the documents' items only the shared one whose last school is behind stays late.
    late = documents.late(noon(day))
    assert [item.title.split("\n")[0] for item in late] == [
        "Верификация факторов риска учебной неуспешности в отобранных для участия в проекте ОО:"
    ]


def test_a_shared_item_is_late_overall_while_a_school_has_done_its_part(day):
    item = RoadmapItem.objects.get(roadmap__program=surgut(), title__startswith=cycle.SHARED_ITEM)
    assert item.status == "in_progress" and item.is_late(noon(day))
    parts = dict(item.executions.values_list("organization__short_name", "status"))
    assert parts.pop(cycle.UNFINISHED_SCHOOL) == "in_progress"
    assert set(parts.values()) == {"done"} and len(parts) == 4
    assert (
        ItemExecution.objects.get(
            item=item, organization__short_name="МБОУ «Русскинская СОШ»"
        ).completed_on
        == item.due_on
    )


def test_an_expertise_round_is_under_way(day):
    round_ = ExpertiseRound.objects.get(program=surgut(), due_on__gt=day)
    assert round_.due_on == day + timedelta(10)
    pending = Assignment.objects.filter(round=round_, verdict=Assignment.Verdict.PENDING)
    assert set(pending.values_list("review__reviewer__username", flat=True)) == {"peer", "expert"}


def test_the_pairing_assistant_ranks_curators_apart(day):
    school = Organization.objects.get(short_name="МБОУ «Русскинская СОШ»")
    suggestions = pairing.suggest(surgut(), school, user("coordinator"))
    scores = [s.score for s in suggestions]
    assert len(scores) >= 4 and len(set(scores)) == len(scores)
    assert suggestions[-1].school.short_name == "МБОУ «Солнечная СОШ №1»"


def test_the_bank_shows_the_adopters_change_before_and_after(day):
    practice = Practice.objects.get()
    evidence = practice_evidence(practice, user("coordinator"))
    assert evidence
    row = evidence[0]
    assert {s.school for s in row.schools} == {name for name, _ in cycle.ADOPTERS}
    assert row.verdict == "лучше"


def test_a_later_load_adds_and_moves_nothing(day):
    before = dump()
    out = io.StringIO()
    later = day + timedelta(days=100)
    call_command("load_demo", "--today", later.isoformat(), stdout=out, allow_production=True)
    assert "Записей создано: 0, изменено: 0" in out.getvalue()
    assert dump() == before


def test_a_day_that_is_no_date_is_refused(day):
    with pytest.raises(Exception, match="не дата"):
        call_command("load_demo", "--today", "07.12.2026", stdout=io.StringIO())
