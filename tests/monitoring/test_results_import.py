"""The results import at a monitoring point: schools matched by code, ИНН, then name (proposed
and written once confirmed), measures computed per indicator, the preview of every value
beside the one it replaces, and an all-or-nothing write of approved values with their source."""

import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from monitoring.models import Indicator, Measurement
from monitoring.results import Assessment, Measure, read_results
from monitoring.results_import import apply_results, plan_results
from programs.models import Participant
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = [
    "Логин ОО",
    "ИНН",
    "Наименование ОО",
    "Предмет",
    "Класс",
    "Участников",
    "«2»",
    "«3»",
    "«4»",
    "«5»",
]


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def results(world):
    """Two indicators from ВПР, three supported schools named three ways, and a point."""
    program = world.program
    by_code = world.supported_school
    by_code.results_code = "SCH861001"
    by_code.save()
    by_inn = f.OrganizationFactory(
        municipality=world.municipality, inn="8617009999", short_name="МБОУ «Угутская СОШ»"
    )
    by_name = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    for school in (by_inn, by_name):
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
    point = f.MonitoringPointFactory(program=program, title="Итоги ВПР 2023")
    quality = f.IndicatorFactory(
        program=program,
        code="7.1",
        title="Качество знаний по русскому языку",
        assessment=Assessment.VPR,
        subjects=["Русский язык"],
        grades=[5, 6],
        measure=Measure.QUALITY,
        order=1,
    )
    failing = f.IndicatorFactory(
        program=program,
        code="7.2",
        title="Доля «2» по математике",
        assessment=Assessment.VPR,
        subjects=["Математика"],
        measure=Measure.SHARE_2,
        order=2,
    )
    rows = [
        HEADER,
        ["sch861001", "", "", "Русский язык", 5, 20, 2, 8, 8, 2],
        ["sch861001", "", "", "Русский язык", 6, 30, 3, 12, 10, 5],
        ["sch861001", "", "", "Русский язык", 9, 30, 0, 0, 0, 30],
        ["sch861001", "", "", "Математика", 5, 20, 5, 10, 5, 0],
        ["", "8617009999", "", "Русский язык", 5, 10, 1, 4, 4, 1],
        ["LYAM01", "", "МБОУ «Ляминская СОШ»", "Математика", 5, 25, 5, 10, 10, 0],
        ["sch000000", "", "МБОУ «Неизвестная СОШ»", "Математика", 5, 10, 1, 1, 1, 1],
        ["sch861001", "", "", "Физика", 5, "много", 1, 1, 1, 1],
    ]
    table = read_results(xlsx([["Результаты ВПР"], [], *rows]), "впр-2023.xlsx")
    return type(
        "Results",
        (),
        {
            "program": program,
            "point": point,
            "quality": quality,
            "failing": failing,
            "table": table,
            "by_code": by_code,
            "by_inn": by_inn,
            "by_name": by_name,
        },
    )


def plan_of(world, results, user=None):
    return plan_results(
        results.table,
        program=results.program,
        point=results.point,
        user=user or world.coordinator,
        filename="впр-2023.xlsx",
    )


def test_the_plan_matches_schools_and_computes_each_indicator(world, results):
    plan = plan_of(world, results)
    found = {(v.school, v.indicator.code): (v.value, v.matched_by, v.action) for v in plan.values}
    # Русский язык 5 and 6 only (grade 9 is not the indicator's): (8+2+10+5)/(20+30).
    assert found[(results.by_code, "7.1")] == (Decimal("50.00"), "code", "create")
    assert found[(results.by_code, "7.2")] == (Decimal("25.00"), "code", "create")
    assert found[(results.by_inn, "7.1")] == (Decimal("50.00"), "inn", "create")
    assert found[(results.by_name, "7.2")] == (Decimal("20.00"), "name", "create")
    assert len(found) == 4
    assert [row.code for row in plan.unmatched] == ["sch000000"]
    assert [(e.row, "не число" in e.message) for e in plan.errors] == [(11, True)]
    assert plan.name_matches == {results.by_name: "LYAM01"}
    assert not Measurement.objects.exists(), "a plan writes nothing"


def test_confirming_writes_approved_values_with_their_source_and_approver(world, results):
    written = apply_results(plan_of(world, results), world.coordinator)
    assert written == 4
    value = Measurement.objects.get(indicator=results.quality, organization=results.by_code)
    assert value.value == Decimal("50.00")
    assert value.status == Measurement.Status.APPROVED
    assert value.approved_by == world.coordinator and value.entered_by is None
    assert value.source == Measurement.Source.RESULTS
    assert value.source_detail == "ВПР: впр-2023.xlsx"
    # The name match, confirmed, gives the school the code of the results tables.
    results.by_name.refresh_from_db()
    assert results.by_name.results_code == "LYAM01"
    # A second import of the same file changes nothing.
    again = plan_of(world, results)
    assert {v.action for v in again.values} == {"same"}
    assert again.to_write() == []


def test_an_approved_value_is_replaced_only_when_ticked_and_history_keeps_both(world, results):
    old = f.MeasurementFactory(
        indicator=results.quality,
        point=results.point,
        organization=results.by_inn,
        value=70,
        status="approved",
    )
    plan = plan_of(world, results)
    change = next(v for v in plan.values if v.old == old)
    assert change.action == "replace" and change.old.value == Decimal("70")
    apply_results(plan, world.coordinator)
    old.refresh_from_db()
    assert old.value == Decimal("70.00") and old.source == Measurement.Source.ENTERED
    apply_results(plan_of(world, results), world.coordinator, replace={change.key})
    old.refresh_from_db()
    assert old.value == Decimal("50.00") and old.source == Measurement.Source.RESULTS
    assert [h.value for h in old.history.order_by("history_date")] == [
        Decimal("70.00"),
        Decimal("50.00"),
    ]


def test_a_value_waiting_for_approval_is_replaced_and_approved(world, results):
    waiting = f.MeasurementFactory(
        indicator=results.failing,
        point=results.point,
        organization=results.by_code,
        value=40,
        status="submitted",
        entered_by=world.school,
    )
    apply_results(plan_of(world, results), world.coordinator)
    waiting.refresh_from_db()
    assert (waiting.value, waiting.status) == (Decimal("25.00"), "approved")


@pytest.mark.parametrize("name", ["school", "curator", "other_coordinator"])
def test_only_the_programs_coordinators_confirm(world, results, name):
    plan = plan_of(world, results)
    with pytest.raises(PermissionDenied):
        apply_results(plan, world.people[name])
    assert not Measurement.objects.exists()


def test_a_person_sees_only_the_schools_in_their_reach(world, results):
    plan = plan_of(world, results, user=world.school)
    assert {v.school for v in plan.values} == {results.by_code}
    assert {row.key for row in plan.unmatched} >= {"8617009999", "LYAM01"}


def test_nothing_is_written_when_any_value_is_refused(world, results, monkeypatch):
    from monitoring.models import MeasurementQuerySet

    monkeypatch.setattr(MeasurementQuerySet, "approvable_by", lambda self, user: self.none())
    with pytest.raises(PermissionDenied):
        apply_results(plan_of(world, results), world.coordinator)
    assert not Measurement.objects.exists()
    results.by_name.refresh_from_db()
    assert results.by_name.results_code == ""


def test_an_indicator_from_results_names_its_assessment_and_measure(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IndicatorFactory(program=world.program, assessment=Assessment.OGE, measure="")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IndicatorFactory(
            program=world.program,
            assessment=Assessment.OGE,
            measure=Measure.QUALITY,
            method=Indicator.Method.ITEMS_DONE_SHARE,
        )


def test_the_command_previews_with_dry_run_and_then_writes(world, results, tmp_path):
    path = tmp_path / "впр.xlsx"
    rows = [
        HEADER,
        ["sch861001", "", "", "Русский язык", 5, 20, 2, 8, 8, 2],
        ["x1", "", "МБОУ «Неизвестная»", "Русский язык", 5, 20, 2, 8, 8, 2],
    ]
    path.write_bytes(xlsx(rows))
    args = [
        str(path),
        "--program",
        str(results.program.pk),
        "--point",
        str(results.point.pk),
        "--approver",
        "coordinator",
    ]
    out = StringIO()
    call_command("import_results", *args, "--dry-run", stdout=out)
    text = out.getvalue()
    assert "7.1" in text and "50" in text and "не найдена" in text and "Ничего не сохранено" in text
    assert not Measurement.objects.exists()
    call_command("import_results", *args, stdout=StringIO())
    assert Measurement.objects.get().approved_by == world.coordinator


def test_the_template_reads_back_as_a_results_table(world, as_user):
    from django.urls import reverse

    response = as_user(world.school).get(reverse("monitoring:results_template"))
    assert response.status_code == 200
    table = read_results(response.content, "шаблон.xlsx")
    assert table.errors == []
    [row] = table.rows
    assert (row.code, row.inn, row.subject, row.grade, row.participants) == (
        "sch860001",
        "8617001234",
        "Русский язык",
        5,
        25,
    )
    assert row.marks == {2: 3, 3: 10, 4: 9, 5: 3}
