"""Each computed effectiveness indicator on hand-built data whose answer is known, with the rows
it was computed from."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.effectiveness import compute, compute_all
from dashboards.scope import Scope
from monitoring.models import Indicator, Target
from monitoring.standard import add_standard_indicators
from programs.models import Document, Participant
from roadmaps.models import Event, RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db

M = Indicator.Method
NOW = timezone.now()
PAST = NOW - datetime.timedelta(days=10)
FUTURE = NOW + datetime.timedelta(days=10)


def indicator(program, method, threshold=None, unit=Indicator.Unit.PERCENT):
    ind = f.IndicatorFactory(program=program, method=method, unit=unit)
    if threshold is not None:
        Target.objects.create(indicator=ind, point=None, organization=None, value=threshold)
    return ind


def names(rows, field="short_name"):
    return {getattr(row, field) for row in rows}


@pytest.fixture
def schools(world):
    """The world's supported school and four more supported schools of the program."""
    more = [
        f.OrganizationFactory(municipality=world.municipality, short_name=f"Школа {n}")
        for n in range(2, 6)
    ]
    for school in more:
        f.ParticipantFactory(
            program=world.program, organization=school, role=Participant.Role.SUPPORTED
        )
    return [world.supported_school, *more]


def test_attendance_share_counts_supported_schools_that_attended_an_event_that_has_begun(
    world, schools
):
    held = f.EventFactory(program=world.program, starts_at=PAST)
    coming = f.EventFactory(program=world.program, starts_at=FUTURE)
    f.AttendanceFactory(event=held, organization=schools[0])
    f.AttendanceFactory(event=held, organization=schools[1])
    # Attendance of a future event does not count; nor does a curator school's.
    f.AttendanceFactory(event=coming, organization=schools[2])
    f.AttendanceFactory(event=held, organization=world.curator_school)
    result = compute(indicator(world.program, M.ATTENDANCE_SHARE, threshold=80), now=NOW)

    assert (result.numerator, result.denominator) == (2, 5)
    assert result.value == Decimal("40.0")
    assert result.met is False
    assert names(result.rows_counted) == {schools[0].short_name, schools[1].short_name}
    assert names(result.rows_not_counted) == {s.short_name for s in schools[2:]}
    assert {r.reason for r in result.rows_not_counted} == {
        "не участвовала ни в одном событии программы"
    }


def test_attendance_share_meets_the_threshold_of_eighty_percent(world, schools):
    held = f.EventFactory(program=world.program, starts_at=PAST)
    for school in schools[:4]:
        f.AttendanceFactory(event=held, organization=school)
    result = compute(indicator(world.program, M.ATTENDANCE_SHARE, threshold=80), now=NOW)
    assert result.value == Decimal("80.0")
    assert result.met is True
    assert result.value_display == "80 %"


def test_attendance_share_narrowed_to_a_municipality_counts_only_its_schools(world, schools):
    elsewhere = f.OrganizationFactory(municipality=world.other_municipality)
    f.ParticipantFactory(program=world.program, organization=elsewhere)
    held = f.EventFactory(program=world.program, starts_at=PAST)
    f.AttendanceFactory(event=held, organization=elsewhere)
    ind = indicator(world.program, M.ATTENDANCE_SHARE)
    whole = compute(ind, now=NOW)
    there = compute(ind, Scope(municipality=world.other_municipality), now=NOW)
    here = compute(ind, Scope(municipality=world.municipality), now=NOW)
    assert (whole.numerator, whole.denominator) == (1, 6)
    assert (there.numerator, there.denominator, there.value) == (1, 1, Decimal("100.0"))
    assert (here.numerator, here.denominator) == (0, 5)


def test_exchange_events_count_held_exchange_events_of_their_level(world):
    program = world.program
    counted = f.EventFactory(
        program=program, level=Event.Level.REGIONAL, is_exchange=True, starts_at=PAST
    )
    f.EventFactory(
        program=program,
        level=Event.Level.REGIONAL,
        is_exchange=True,
        starts_at=FUTURE,
        title="Будущий",
    )
    f.EventFactory(
        program=program,
        level=Event.Level.REGIONAL,
        is_exchange=False,
        starts_at=PAST,
        title="Не обмен",
    )
    municipal = f.EventFactory(
        program=program, level=Event.Level.MUNICIPAL, is_exchange=True, starts_at=PAST
    )
    regional = compute(
        indicator(program, M.EXCHANGE_EVENTS_REGIONAL, 2, Indicator.Unit.COUNT), now=NOW
    )
    municipal_result = compute(
        indicator(program, M.EXCHANGE_EVENTS_MUNICIPAL, 1, Indicator.Unit.COUNT), now=NOW
    )

    assert (regional.value, regional.denominator, regional.met) == (Decimal(1), None, False)
    assert names(regional.rows_counted, "title") == {counted.title}
    reasons = {r.title: r.reason for r in regional.rows_not_counted}
    assert reasons == {
        "Будущий": "ещё не проведено",
        "Не обмен": "не обмен опытом",
        municipal.title: "не региональное событие",
    }
    assert (municipal_result.value, municipal_result.met) == (Decimal(1), True)
    assert municipal_result.value_display == "1"


def test_items_done_share_leaves_cancelled_items_out_of_the_share(world):
    roadmap = f.RoadmapFactory(program=world.program)
    S = RoadmapItem.Status
    for status in (S.DONE, S.DONE, S.DONE, S.IN_PROGRESS, S.PLANNED, S.CANCELLED):
        f.RoadmapItemFactory(
            roadmap=roadmap,
            status=status,
            completed_on=datetime.date(2023, 5, 1) if status == S.DONE else None,
        )
    result = compute(indicator(world.program, M.ITEMS_DONE_SHARE, threshold=100), now=NOW)
    assert (result.numerator, result.denominator, result.value) == (3, 5, Decimal("60.0"))
    assert result.met is False
    assert result.rows_counted.count() == 3
    assert sorted(r.reason for r in result.rows_not_counted) == [
        "не выполнено: выполняется",
        "не выполнено: запланировано",
        "отменено — не входит в расчёт",
    ]


def test_agreements_share_counts_pairs_with_a_signed_agreement(world):
    f.AgreementFactory(pair=world.pair)
    unsigned = f.CuratorPairFactory(program=world.program)
    f.AgreementFactory(pair=unsigned, signed_on=None)
    without = f.CuratorPairFactory(program=world.program)
    result = compute(indicator(world.program, M.AGREEMENTS_SHARE, threshold=100), now=NOW)
    assert (result.numerator, result.denominator, result.value) == (1, 3, Decimal("33.3"))
    assert {p.pk for p in result.rows_counted} == {world.pair.pk}
    assert {p.pk for p in result.rows_not_counted} == {unsigned.pk, without.pk}
    assert result.met is False


def test_documents_approved_share_counts_only_schools_documents(world):
    S = Document.Status
    for status in (S.APPROVED, S.APPROVED, S.SUBMITTED, S.DRAFT):
        f.DocumentFactory(program=world.program, organization=world.supported_school, status=status)
    # The authority's order is not a school's document.
    f.DocumentFactory(
        program=world.program,
        organization=world.authority,
        kind=Document.Kind.ORDER,
        status=S.DRAFT,
    )
    result = compute(indicator(world.program, M.DOCUMENTS_APPROVED_SHARE, threshold=80), now=NOW)
    assert (result.numerator, result.denominator, result.value) == (2, 4, Decimal("50.0"))
    assert result.met is False
    assert sorted(r.reason for r in result.rows_not_counted) == [
        "не одобрен: на проверке",
        "не одобрен: черновик",
    ]


def test_a_share_of_nothing_has_no_value_and_is_neither_met_nor_missed(world):
    result = compute(indicator(world.program, M.AGREEMENTS_SHARE, threshold=100))
    world.pair.delete()
    result = compute(result.indicator)
    assert (result.value, result.met, result.value_display) == (None, None, "нет данных")


def test_an_entered_indicator_is_not_computed(world):
    with pytest.raises(ValueError):
        compute(f.IndicatorFactory(program=world.program))


def test_compute_all_costs_the_same_queries_whatever_the_number_of_rows(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_standard_indicators(world.program)

    def count():
        with CaptureQueriesContext(connection) as queries:
            results = compute_all(world.program)
        return len(queries), results

    few, results = count()
    roadmap = f.RoadmapFactory(program=world.program)
    for _ in range(20):
        school = f.OrganizationFactory(municipality=world.municipality)
        f.ParticipantFactory(program=world.program, organization=school)
        f.RoadmapItemFactory(roadmap=roadmap)
        f.CuratorPairFactory(program=world.program, supported_school=school)
    many, _ = count()
    assert few == many
    assert [r.indicator.method for r in results] == [
        M.ATTENDANCE_SHARE,
        M.EXCHANGE_EVENTS_REGIONAL,
        M.EXCHANGE_EVENTS_MUNICIPAL,
        M.ITEMS_DONE_SHARE,
        M.AGREEMENTS_SHARE,
        M.DOCUMENTS_APPROVED_SHARE,
    ]


def test_standard_indicators_are_added_once_with_their_thresholds(world):
    assert add_standard_indicators(world.program) == 6
    assert add_standard_indicators(world.program) == 0
    attendance = world.program.indicators.get(method=M.ATTENDANCE_SHARE)
    threshold = attendance.targets.get(point=None, organization=None)
    assert (threshold.value, threshold.comparison) == (80, Target.Comparison.GE)


def test_the_drill_down_page_lists_the_rows_counted_and_not_counted(world, schools, as_user):
    held = f.EventFactory(program=world.program, starts_at=PAST)
    f.AttendanceFactory(event=held, organization=schools[0])
    ind = indicator(world.program, M.ATTENDANCE_SHARE, threshold=80)
    response = as_user(world.coordinator).get(reverse("dashboards:effectiveness", args=[ind.pk]))
    assert response.status_code == 200
    counted = {row.record.short_name for row in response.context["counted"].rows}
    not_counted = {row.record.short_name for row in response.context["not_counted"].rows}
    assert counted == {schools[0].short_name}
    assert not_counted == {s.short_name for s in schools[1:]}
    assert "20 %" in response.content.decode()


def test_the_drill_down_rows_export_to_excel(world, schools, as_user):
    from io import BytesIO

    from openpyxl import load_workbook

    ind = indicator(world.program, M.ATTENDANCE_SHARE)
    response = as_user(world.coordinator).get(
        reverse("dashboards:effectiveness", args=[ind.pk]),
        {"_export": "xlsx", "table": "not_counted"},
    )
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Школа", "Муниципалитет", "Причина")
    assert {r[0] for r in rows[1:]} == {s.short_name for s in schools}
