"""The program dashboard: its figures on hand-built data, and a query count that does not grow
with the number of schools."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.charts import NO_VALUES
from monitoring.models import Measurement, MonitoringPoint, Target
from monitoring.standard import add_standard_indicators
from programs.models import Participant
from roadmaps.models import Roadmap, RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db

PAST = datetime.date(2023, 1, 31)


def grow(world, count):
    """`count` more supported schools, each with a pair, a roadmap of three items, values at
    two points, an attendance and a document."""
    program = world.program
    baseline, middle = list(program.points.order_by("date"))
    indicators = list(program.indicators.filter(method="entered"))
    event = program.events.get()
    module = program.modules.first()
    for n in range(count):
        school = f.OrganizationFactory(municipality=world.municipality)
        f.ParticipantFactory(program=program, organization=school)
        pair = f.CuratorPairFactory(program=program, supported_school=school)
        f.AgreementFactory(pair=pair, signed_on=None if n % 2 else datetime.date(2023, 2, 1))
        roadmap = f.RoadmapFactory(program=program, level=Roadmap.Level.SCHOOL, organization=school)
        for status in ("done", "planned", "in_progress"):
            item = f.RoadmapItemFactory(
                roadmap=roadmap,
                module=module,
                status=status,
                due_on=PAST,
                starts_on=None,
                completed_on=PAST if status == "done" else None,
            )
            item.responsible.add(school)
        # Approved values: only those count for the figures (`MeasurementQuerySet.counted`).
        for indicator in indicators:
            f.MeasurementFactory(
                indicator=indicator,
                point=baseline,
                organization=school,
                value=40,
                status="approved",
            )
            f.MeasurementFactory(
                indicator=indicator,
                point=middle,
                organization=school,
                value=60,
                status="approved",
                submitted_at=timezone.now(),
            )
        if n % 3 == 0:
            f.AttendanceFactory(event=event, organization=school)
        f.DocumentFactory(program=program, organization=school)


@pytest.fixture
def program(world):
    program = world.program
    f.ModuleFactory(program=program, title="Есть проект")
    f.MonitoringPointFactory(
        program=program,
        kind=MonitoringPoint.Kind.BASELINE,
        title="База",
        date=datetime.date(2023, 1, 15),
    )
    middle = f.MonitoringPointFactory(
        program=program,
        title="Май",
        date=datetime.date(2023, 5, 31),
        entry_deadline=datetime.date(2023, 6, 10),
    )
    for code in ("1", "2"):
        indicator = f.IndicatorFactory(program=program, code=code)
        Target.objects.create(indicator=indicator, point=middle, value=50)
    f.EventFactory(
        program=program, starts_at=timezone.now() - datetime.timedelta(days=3), is_exchange=True
    )
    add_standard_indicators(program)
    return program


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_dashboards_query_count_is_the_same_for_5_and_50_schools(world, program, as_user):
    client = as_user(world.coordinator)
    urls = [
        reverse("dashboards:dashboard", args=[program.pk]),
        reverse("dashboards:dashboard", args=[program.pk])
        + f"?municipality={world.municipality.pk}",
    ]
    grow(world, 5)
    few = [queries(client, url) for url in urls]
    grow(world, 45)
    many = [queries(client, url) for url in urls]
    assert few == many


def test_the_drill_down_pages_query_count_does_not_grow_with_schools(world, program, as_user):
    client = as_user(world.coordinator)
    indicator = program.indicators.get(code="1")
    point = program.points.get(title="Май")
    urls = [
        reverse("dashboards:indicator_dashboard", args=[indicator.pk]),
        reverse("dashboards:completeness", args=[point.pk]),
        reverse("dashboards:effectiveness", args=[program.indicators.get(code="Э1").pk]),
        reverse("dashboards:territory"),
    ]
    grow(world, 5)
    few = [queries(client, url) for url in urls]
    grow(world, 45)
    many = [queries(client, url) for url in urls]
    assert few == many


def test_the_dashboard_shows_completion_late_items_and_effectiveness(world, program, as_user):
    grow(world, 6)
    response = as_user(world.coordinator).get(reverse("dashboards:dashboard", args=[program.pk]))
    roadmap = response.context["roadmap"]
    assert roadmap["totals"]["total"] == 18
    assert roadmap["totals"]["done"] == 6
    # Due 31.01.2023 and not done: every planned and in-progress item is late.
    assert roadmap["totals"]["late"] == 12
    (module,) = roadmap["by_module"]
    assert (module["title"], module["share"]) == ("Есть проект", 33.3)
    assert all(row["late"] == 2 for row in roadmap["by_responsible"])
    results = {r.indicator.code: r for r in response.context["effectiveness"]}
    # 7 supported schools (the world's one and six more); schools 0 and 3 attended.
    assert (results["Э1"].numerator, results["Э1"].denominator) == (2, 7)
    assert results["Э1"].met is False
    # Schools 0, 2 and 4 signed their agreements; the world pair has none.
    assert (results["Э5"].numerator, results["Э5"].denominator) == (3, 7)
    assert "выполнен" in response.content.decode()


def test_indicators_show_averages_targets_met_and_moves_since_the_baseline(world, program, as_user):
    grow(world, 4)
    school = world.program.participants.filter(role=Participant.Role.SUPPORTED).last()
    # One school went backwards and misses the target.
    Measurement.objects.filter(organization=school.organization, point__title="Май").update(
        value=30
    )
    response = as_user(world.coordinator).get(reverse("dashboards:dashboard", args=[program.pk]))
    summary = response.context["indicators"]
    row = next(r for r in summary["rows"] if r.indicator.code == "1")
    assert summary["latest"].title == "Май"
    assert row.baseline == Decimal(40)
    assert row.latest == Decimal("52.5")  # (60 * 3 + 30) / 4
    assert (row.met, row.measured) == (3, 4)
    assert (row.improved, row.worsened) == (3, 1)


def test_completeness_counts_who_submitted_late_and_who_did_not(world, program, as_user):
    grow(world, 3)
    point = program.points.get(title="Май")
    late, missing = world.program.participants.filter(role="supported").order_by("pk")[1:3]
    Measurement.objects.filter(point=point, organization=late.organization).update(
        submitted_at=datetime.datetime(2023, 6, 12, 12, 0, tzinfo=datetime.UTC)
    )
    Measurement.objects.filter(point=point, organization=missing.organization).update(
        status=Measurement.Status.DRAFT
    )
    Measurement.objects.filter(point=point).exclude(
        organization__in=[late.organization, missing.organization]
    ).update(submitted_at=datetime.datetime(2023, 6, 1, tzinfo=datetime.UTC))
    client = as_user(world.coordinator)
    dashboard = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    row = next(r for r in dashboard.context["completeness"]["rows"] if r["point"] == point)
    # 4 supported schools: the world's (no values), 3 grown; one late, one only a draft.
    assert (row["expected"], row["complete"], row["missing"], row["late"]) == (4, 2, 2, 1)
    page = client.get(reverse("dashboards:completeness", args=[point.pk]), {"show": "missing"})
    listed = {r.record.pk for r in page.context["table"].rows}
    assert listed == {world.supported_school.pk, missing.organization.pk}
    page = client.get(reverse("dashboards:completeness", args=[point.pk]), {"show": "late"})
    assert {r.record.pk for r in page.context["table"].rows} == {late.organization.pk}


def test_the_indicator_page_lists_each_schools_values_against_the_target(world, program, as_user):
    grow(world, 2)
    indicator = program.indicators.get(code="1")
    school = world.program.participants.filter(role="supported").last().organization
    Measurement.objects.filter(organization=school, indicator=indicator, point__title="Май").update(
        value=45
    )
    response = as_user(world.coordinator).get(
        reverse("dashboards:indicator_dashboard", args=[indicator.pk])
    )
    rows = {r.record.short_name: r for r in response.context["table"].rows}
    assert rows[school.short_name].get_cell("met") != rows[
        world.supported_school.short_name
    ].get_cell("met")
    assert "<svg" in response.context["chart"]
    assert school.short_name in response.context["chart"]


def test_the_dynamics_chart_is_served_to_overseers_only(world, program, as_user):
    indicator = program.indicators.get(code="1")
    url = reverse("dashboards:indicator_chart", args=[indicator.pk])
    assert as_user(world.coordinator).get(url).content.startswith(b"<svg")
    assert as_user(world.school).get(url).status_code == 403


def test_a_chart_with_neither_values_nor_plan_is_a_sentence(world, program, as_user):
    indicator = f.IndicatorFactory(program=program, code="9")
    url = reverse("dashboards:indicator_chart", args=[indicator.pk])
    content = as_user(world.coordinator).get(url).content.decode()
    assert "<svg" not in content
    assert NO_VALUES in content


def test_the_territory_page_sums_up_each_program_in_the_territory(world, program, as_user):
    grow(world, 2)
    response = as_user(world.coordinator).get(reverse("dashboards:territory"))
    (row,) = response.context["rows"]
    assert row["program"] == program
    assert (row["schools"], row["items"], row["done"]) == (3, 6, 2)


def test_a_late_item_is_listed_and_a_done_one_is_not(world, program, as_user):
    roadmap = f.RoadmapFactory(program=program)
    late = f.RoadmapItemFactory(roadmap=roadmap, due_on=PAST, starts_on=None, title="Просрочено")
    f.RoadmapItemFactory(
        roadmap=roadmap,
        due_on=PAST,
        starts_on=None,
        status=RoadmapItem.Status.DONE,
        completed_on=PAST,
    )
    response = as_user(world.coordinator).get(reverse("dashboards:dashboard", args=[program.pk]))
    assert list(response.context["roadmap"]["late"]) == [late]


@pytest.mark.parametrize(
    ("table", "header"),
    [
        ("effectiveness", "Показатель"),
        ("modules", "Модуль"),
        ("responsible", "Ответственный"),
        ("completeness", "Точка"),
        ("indicators", "Показатель"),
    ],
)
def test_every_dashboard_table_exports_to_excel(world, program, as_user, table, header):
    from io import BytesIO

    from openpyxl import load_workbook

    grow(world, 2)
    response = as_user(world.coordinator).get(
        reverse("dashboards:dashboard", args=[program.pk]), {"_export": "xlsx", "table": table}
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header in rows[0]
    assert len(rows) > 1


def test_the_indicator_summary_file_has_each_points_average_and_plan(world, program, as_user):
    from io import BytesIO

    from openpyxl import load_workbook

    grow(world, 2)
    response = as_user(world.coordinator).get(
        reverse("dashboards:dashboard", args=[program.pk]),
        {"_export": "xlsx", "table": "indicators"},
    )
    header, first, *_ = load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    row = dict(zip(header, first, strict=True))
    assert (row["База"], row["Май"], row["План: Май"]) == ("40 %", "60 %", "не менее 50 %")
    assert (row["Достигли плана"], row["Улучшили"]) == (2, 2)


def test_an_open_point_has_no_late_schools_and_its_values_are_not_read_for_them(
    world, program, as_user
):
    """Before a point's cutoff nothing sent can be late: the figure and the list say none
    without reading the values; once the cutoff has passed, a value sent after it is late."""
    grow(world, 2)
    point = program.points.get(title="Май")
    today = program.local_today()
    point.entry_deadline = today + datetime.timedelta(days=3)
    point.save()
    school = world.program.participants.filter(role="supported").last().organization
    Measurement.objects.filter(point=point).update(
        submitted_at=datetime.datetime(2023, 6, 1, tzinfo=datetime.UTC)
    )
    Measurement.objects.filter(point=point, organization=school).update(submitted_at=timezone.now())
    client = as_user(world.coordinator)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        dashboard = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    row = next(r for r in dashboard.context["completeness"]["rows"] if r["point"] == point)
    assert row["late"] == 0
    late_reads = [
        q["sql"]
        for q in captured
        if '"submitted_at" >=' in q["sql"] and f'"point_id" = {point.pk}' in q["sql"]
    ]
    assert late_reads == []
    page = client.get(reverse("dashboards:completeness", args=[point.pk]), {"show": "late"})
    assert list(page.context["table"].rows) == []

    # The deadline moves back behind the value: it was sent late.
    point.entry_deadline = today - datetime.timedelta(days=3)
    point.save()
    dashboard = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    row = next(r for r in dashboard.context["completeness"]["rows"] if r["point"] == point)
    assert row["late"] == 1
    page = client.get(reverse("dashboards:completeness", args=[point.pk]), {"show": "late"})
    assert {r.record.pk for r in page.context["table"].rows} == {school.pk}
