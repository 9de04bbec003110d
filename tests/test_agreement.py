"""Every figure said once and right: for one program, each page and report that shows the same
figure shows the same number — the values that count and the targets that apply, the supported
schools — and they keep agreeing after a pair is added through the admin and a value is
returned to its school.

The roadmap figures (items, done, late, cancelled) have their own agreement test beside this
one (`test_item_figures_agree…`)."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from monitoring.models import Measurement, MonitoringPoint, Target
from programs.models import CuratorPair, Participant
from reports.document import value_of
from reports.kinds import KINDS
from tests import factories as f
from tests.reports.reporting import facts, row_of, table

BASE, SPRING = datetime.date(2023, 1, 15), datetime.date(2023, 5, 31)
APPROVED = Measurement.Status.APPROVED


def admin_add_pair(client, program, curator_school, supported_school):
    """Add a pair the way an operator does in Django's admin: the add form with its inlines."""
    url = reverse("admin:programs_curatorpair_add")
    page = client.get(url)
    data = {
        "program": program.pk,
        "curator_school": curator_school.pk,
        "supported_school": supported_school.pk,
        "number": "2",
    }
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return CuratorPair.objects.get(program=program, supported_school=supported_school)


@pytest.fixture
def monitored(world, superuser, as_user):
    """The world's program with a baseline and a spring point, one indicator with the program's
    target and the first school's own, approved values of two supported schools — the second of
    them paired through the admin, with no participant row made by hand."""
    program = world.program
    base = f.MonitoringPointFactory(
        program=program, kind=MonitoringPoint.Kind.BASELINE, title="База", date=BASE
    )
    spring = f.MonitoringPointFactory(program=program, title="Весна", date=SPRING)
    indicator = f.IndicatorFactory(program=program, code="1", title="Доля обучающихся")
    Target.objects.create(indicator=indicator, point=spring, value=60)
    Target.objects.create(
        indicator=indicator, point=spring, organization=world.supported_school, value=70
    )
    second = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Угутская СОШ»"
    )
    admin_add_pair(as_user(superuser), program, world.curator_school, second)
    values = {}
    for school, before, after in ((world.supported_school, 40, 65), (second, 50, 55)):
        for point, value in ((base, before), (spring, after)):
            values[school.pk, point.pk] = f.MeasurementFactory(
                indicator=indicator, point=point, organization=school, value=value, status=APPROVED
            )
    return program, indicator, base, spring, second, values


def dashboard_cell(client, program, indicator, point):
    response = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    row = next(r for r in response.context["indicators"]["rows"] if r.indicator == indicator)
    cell = next(c for c in row.cells if c["point"] == point)
    target = cell["target"].value if cell["target"] is not None else None
    return cell["average"], target


def note_plan_fact(world, program, indicator, point):
    report = KINDS["note"].build(point, world.coordinator)
    plan = table(report, "Плановые и фактические значения")
    groups = [title for title, _ in plan.column_groups]
    row = row_of(plan, indicator.code)
    # Columns: №, indicator, unit, then «факт» (and «план») of each point in the groups.
    index, column = 3, None
    for (title, span), _ in zip(plan.column_groups[1:], groups[1:], strict=True):
        if title == point.title:
            column = index
        index += span
    fact, target = row.values[column], row.values[column + 1]
    return fact, target, report


def school_card_cell(world, school, program, indicator, point):
    report = KINDS["school"].build(school, world.coordinator)
    card = table(report, f"Показатели: {program.short_title}")
    row = row_of(card, indicator.code)
    index = 3
    for title, span in card.column_groups[1:]:
        if title == point.title:
            return row.values[index], row.values[index + 1]
        index += span
    return None, None


def school_page_row(client, school, program, indicator):
    response = client.get(reverse("school", args=[school.pk]))
    rows = response.context["indicator_rows"].get(program, [])
    found = [r for r in rows if r.indicator == indicator]
    if not found:
        return None, None
    row = found[0]
    return (
        row.latest.value if row.latest else None,
        row.target.value if row.target else None,
    )


def test_supported_schools_agree_everywhere_including_a_pair_added_in_the_admin(
    world, monitored, as_user
):
    program, indicator, base, spring, second, _ = monitored
    client = as_user(world.coordinator)
    supported = set(program.supported_schools())
    assert supported == {world.supported_school, second}

    dashboard = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    assert dashboard.context["completeness"]["school_count"] == 2
    point_page = client.get(reverse("monitoring:point", args=[spring.pk]))
    assert point_page.context["schools_count"] == 2
    _, _, note = note_plan_fact(world, program, indicator, spring)
    assert facts(note, "Общие сведения")["Школ"] == 2
    events = KINDS["events"].build(program, world.coordinator)
    assert facts(events, "Итоги")["Школ адресной поддержки"] == 2
    # The school added in the admin gets its data-entry sheet like any supported school.
    entry = reverse("monitoring:entry", args=[spring.pk, second.pk])
    assert client.get(entry).status_code == 200


def test_values_and_targets_agree_on_the_dashboard_the_note_the_card_and_the_school_page(
    world, monitored, as_user
):
    program, indicator, base, spring, second, values = monitored
    client = as_user(world.coordinator)

    # The program's figure: the mean of the counted values, against the program's target.
    average, target = dashboard_cell(client, program, indicator, spring)
    fact, plan, _ = note_plan_fact(world, program, indicator, spring)
    assert average == value_of(fact) == Decimal(60)
    assert target == plan == Decimal(60)

    # One school's figure: its value against its own target where it has one.
    school = world.supported_school
    assert school_card_cell(world, school, program, indicator, spring) == (
        Decimal(65),
        Decimal(70),
    )
    assert school_page_row(client, school, program, indicator) == (Decimal(65), Decimal(70))
    # The second school has no target of its own: the program's applies on both pages.
    assert school_card_cell(world, second, program, indicator, spring) == (
        Decimal(55),
        Decimal(60),
    )
    assert school_page_row(client, second, program, indicator) == (Decimal(55), Decimal(60))


def test_a_returned_value_leaves_every_figure_at_once(world, monitored, as_user):
    program, indicator, base, spring, second, values = monitored
    client = as_user(world.coordinator)
    returned = values[second.pk, spring.pk]
    returned.send_back(world.coordinator, "Проверьте расчёт")
    returned.save()

    average, _ = dashboard_cell(client, program, indicator, spring)
    fact, _, _ = note_plan_fact(world, program, indicator, spring)
    assert average == value_of(fact) == Decimal(65)
    card_fact, card_plan = school_card_cell(world, second, program, indicator, spring)
    assert value_of(card_fact) is None and card_plan == Decimal(60)
    # The school page has no counted value after the baseline any more: nothing to compare.
    assert school_page_row(client, second, program, indicator) == (None, None)


# --- Roadmap items ----------------------------------------------------------------------------

TODAY = datetime.date(2026, 12, 1)
PAST, FUTURE = datetime.date(2026, 10, 1), datetime.date(2027, 2, 1)


@pytest.fixture
def planned(world):
    """The program's own roadmap with an item in every state, the supported school responsible
    for each: done, late, planned, in progress, cancelled (and a cancelled one past its date,
    which is never late)."""
    from roadmaps.models import RoadmapItem

    roadmap = f.RoadmapFactory(program=world.program, title="Дорожная карта проекта")
    S = RoadmapItem.Status
    items = {}
    for key, status, due in (
        ("done", S.DONE, PAST),
        ("late", S.PLANNED, PAST),
        ("planned", S.PLANNED, FUTURE),
        ("running", S.IN_PROGRESS, FUTURE),
        ("cancelled", S.CANCELLED, PAST),
    ):
        item = f.RoadmapItemFactory(
            roadmap=roadmap, title=key, status=status, starts_on=None, due_on=due
        )
        item.responsible.add(world.supported_school)
        item.set_status_for_all(status)
        item.save()
        items[key] = item
    return roadmap, items


def item_figures(world, as_user, roadmap):
    """(total, done, late, cancelled) as each page and report shows them."""
    program, school = world.program, world.supported_school
    client = as_user(world.coordinator)
    counts = {}

    progress = client.get(roadmap.get_absolute_url()).context["progress"]
    counts["roadmap page"] = (
        progress["total"],
        progress["done"],
        progress["late"],
        progress["cancelled"],
    )
    dashboard = reverse("dashboards:dashboard", args=[program.pk])
    for name, query in (
        ("dashboard", ""),
        ("dashboard of the municipality", f"?municipality={world.municipality.pk}"),
    ):
        totals = client.get(dashboard + query).context["roadmap"]["totals"]
        counts[name] = totals["total"], totals["done"], totals["late"], totals["cancelled"]
    territory = client.get(reverse("dashboards:territory"), {"municipality": world.municipality.pk})
    (row,) = [r for r in territory.context["rows"] if r["program"] == program]
    counts["territory summary"] = row["items"], row["done"], row["late"], row["cancelled"]

    execution = facts(KINDS["roadmap"].build(roadmap, world.coordinator), "Итоги")
    counts["roadmap report"] = (
        execution["Мероприятий всего"],
        int(str(execution["Выполнено"]).split()[0]),
        execution["Просрочено на дату отчёта"],
        execution["Отменено"],
    )
    half = facts(
        KINDS["half-year"].build(
            program, world.coordinator, starts_on=PAST.replace(day=1), ends_on=FUTURE
        ),
        "Итоги периода",
    )
    counts["half-year report"] = (
        half["Пунктов дорожных карт со сроком в периоде"],
        int(str(half["выполнено"]).split()[0]),
        half["просрочено"],
        half["отменено (не входят в число пунктов)"],
    )
    card = table(KINDS["school"].build(school, world.coordinator), "Исполнение дорожных карт")
    (card_row,) = [r for r in card.data_rows if r.values[1] == roadmap.title]
    total, done, late = card_row.values[2], card_row.values[3], value_of(card_row.cells[4])
    counts["school card"] = total, done, late, counts["roadmap page"][3]
    return counts


def agree(counts):
    assert len(set(counts.values())) == 1, counts
    return next(iter(counts.values()))


@pytest.fixture
def on_the_day(monkeypatch):
    """Every page asks `timezone.now()` for «today»: pin it, at noon in Moscow."""
    moment = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return moment


def test_item_figures_agree_on_every_page_and_report(world, as_user, planned, on_the_day):
    roadmap, items = planned
    # Five items, the cancelled one apart: four in the plan, one done, one late.
    assert agree(item_figures(world, as_user, roadmap)) == (4, 1, 1, 1)


def test_item_figures_still_agree_after_an_item_is_cancelled(world, as_user, planned, on_the_day):
    roadmap, items = planned
    late = items["late"]
    late.set_status_for_all(late.Status.CANCELLED)
    late.save()
    assert agree(item_figures(world, as_user, roadmap)) == (3, 1, 0, 2)


def test_event_participation_agrees_in_the_participation_and_half_year_reports(world):
    """Each held event's invited, came, people and share of supported schools, in both reports
    (`EventQuerySet.with_participation`), for the detail and for the summary by territory."""
    program = world.program
    far = f.OrganizationFactory(municipality=world.other_municipality, short_name="СОШ Мегиона")
    f.ParticipantFactory(program=program, organization=far, role=Participant.Role.SUPPORTED)
    seminar = f.EventFactory(
        program=program,
        title="Семинар «Есть проект»",
        starts_at=datetime.datetime(2023, 3, 15, 10, tzinfo=datetime.UTC),
    )
    seminar.invited.add(world.supported_school, world.curator_school, far)
    f.AttendanceFactory(event=seminar, organization=world.supported_school, people_count=4)
    f.AttendanceFactory(event=seminar, organization=world.curator_school, people_count=2)

    def event_line(report, title):
        return row_of(table(report, title), datetime.date(2023, 3, 15)).values[3:]

    person = world.region_coordinator
    participation = KINDS["events"].build(program, person)
    half = KINDS["half-year"].build(
        program, person, starts_on=datetime.date(2023, 1, 1), ends_on=datetime.date(2023, 6, 30)
    )
    # Three invited, two came with six people; one of the two supported schools came.
    expected = [3, 2, 6, Decimal("50.0")]
    assert event_line(participation, "События") == expected
    assert event_line(half, "Проведённые события") == expected
    # The same figures when the participation report summarises its schools by territory.
    with override_settings(REPORT_DETAIL_SCHOOLS=0):
        summarised = KINDS["events"].build(program, person)
    assert table(summarised, "Участие школ по территориям")
    assert event_line(summarised, "События") == expected
