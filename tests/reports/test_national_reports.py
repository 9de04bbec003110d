"""A report about more schools than REPORT_DETAIL_SCHOOLS summarises them by region (when they lie
in several) or municipality, each row linked to the report about that one territory, which lists
its schools: the monitoring note, the passport and event participation. The territory
(?region=, ?municipality=, render_report --region/--municipality) goes through the access rule;
the summary is aggregated in the database; its rows add up to the dashboard's figures and agree
with each territory's own report."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.scope import Scope
from monitoring.models import Measurement
from programs.models import Participant
from reports.document import Link, value_of
from reports.kinds import KINDS
from reports.models import ReportFile
from roadmaps.models import Roadmap, RoadmapItem
from schools.models import Membership
from tests import factories as f

from .reporting import facts, pdf_text, row_of, table

pytestmark = pytest.mark.django_db

APPROVED = Measurement.Status.APPROVED
BOUND = 3
NOTE_TABLE = "Полнота данных по территориям"
PASSPORT_TABLE = "Участники и пары по территориям"
EVENTS_TABLE = "Участие школ по территориям"


@pytest.fixture
def low_bound(settings):
    """Reports list at most three schools one by one."""
    settings.REPORT_DETAIL_SCHOOLS = BOUND
    settings.PORTAL_URL = "https://portal.example"


@pytest.fixture
def perm(world):
    """A second region with a municipality, and the coordinator of its authority, which takes
    part in the world's program as a partner (so the program is theirs to see, not to oversee)."""
    region = f.RegionFactory(name="Пермский край", code="59")
    municipality = f.MunicipalityFactory(region=region, name="Кунгурский округ")
    authority = f.AuthorityFactory(
        municipality=municipality, short_name="Управление образования Кунгура"
    )
    f.ParticipantFactory(
        program=world.program, organization=authority, role=Participant.Role.PARTNER
    )
    user = f.UserFactory(username="perm")
    f.MembershipFactory(user=user, organization=authority, role=Membership.Role.COORDINATOR)
    return municipality, user


def spread(world, filled, perm, count, first=0):
    """`count` more supported schools spread over three municipalities in two regions (Сургутский
    район, г. Мегион, Кунгурский округ), each paired, with an approved value of quality at the
    baseline and at spring, a submitted failing share, the seminar (every second one came), and
    a school roadmap with an item done and an item late."""
    municipalities = [world.municipality, world.other_municipality, perm[0]]
    points, quality = filled.points, filled.indicators.quality
    seminar = filled.events[0]
    schools = []
    for n in range(first, first + count):
        school = f.OrganizationFactory(
            municipality=municipalities[n % 3], short_name=f"МБОУ «Школа {n + 1:03d}»"
        )
        f.CuratorPairFactory(
            program=world.program, curator_school=world.curator_school, supported_school=school
        )
        for point, value in ((points.baseline, 30 + n % 7), (points.spring, 28 + n % 11)):
            f.MeasurementFactory(
                indicator=quality, point=point, organization=school, value=value, status=APPROVED
            )
        f.MeasurementFactory(
            indicator=filled.indicators.failing,
            point=points.spring,
            organization=school,
            value=n % 15,
            status=Measurement.Status.SUBMITTED,
        )
        seminar.invited.add(school)
        if n % 2:
            f.AttendanceFactory(event=seminar, organization=school, people_count=1 + n % 3)
        roadmap = f.RoadmapFactory(
            program=world.program,
            level=Roadmap.Level.SCHOOL,
            organization=school,
            title=f"Дорожная карта школы {n + 1}",
        )
        for status, due in (
            (RoadmapItem.Status.DONE, datetime.date(2023, 3, 1)),
            (RoadmapItem.Status.PLANNED, datetime.date(2023, 4, 1)),
        ):
            item = f.RoadmapItemFactory(
                roadmap=roadmap, title=f"Пункт {status}", status=status, due_on=due, starts_on=None
            )
            item.responsible.add(school)
            item.set_status_for_all(status)
            item.save()
        schools.append(school)
    return schools


@pytest.fixture
def spread_schools(world, filled, perm, low_bound):
    return spread(world, filled, perm, 9)


def territory_rows(report, title):
    """{territory name: row} of a summary table, without its «Всего» row."""
    return {r.values[0]: r for r in table(report, title).data_rows if r.values[0] != "Всего"}


def school_names(report):
    """The added schools named anywhere in the report's tables."""
    return {
        name
        for t in report.tables()
        for row in t.data_rows
        for value in row.values
        if isinstance(value, str)
        for name in re.findall(r"МБОУ «Школа \d+»", value)
    }


def note(user, point, scope=None):
    return KINDS["note"].build(point, user, **({"scope": scope} if scope else {}))


def mean_at(report, indicator, point_title):
    """The plan-fact table's «факт» of an indicator at a point."""
    plan = table(report, "Плановые и фактические значения")
    row = row_of(plan, indicator.code)
    index = 3
    for title, span in plan.column_groups[1:]:
        if title == point_title:
            return value_of(row.cells[index])
        index += span
    raise AssertionError(point_title)


# --- What a summary is -------------------------------------------------------------------------


def test_a_national_note_summarises_by_region_and_says_so(
    world, filled, perm, spread_schools, superuser
):
    report = note(superuser, filled.points.spring)
    assert report.sections[0].heading == "Сводный отчёт"
    notice = report.sections[0].blocks[0].text
    assert "Отчёт сводный: в нём 10 школ адресной поддержки" in notice
    assert f"граница — {BOUND}" in notice
    rows = territory_rows(report, NOTE_TABLE)
    assert set(rows) == {world.region.name, "Пермский край"}
    # Schools are counted, never named: not in any table of the report.
    assert school_names(report) == set()
    assert not any(s.heading.startswith("Значения по школам") for s in report.sections)
    link = value_of(rows["Пермский край"].cells[-1])
    assert isinstance(link, Link)
    region = perm[0].region
    assert link.url == (
        f"https://portal.example{reverse('reports:report', args=['note', filled.points.spring.pk])}"
        f"?region={region.pk}"
    )


def test_within_one_region_it_summarises_by_municipality(
    world, filled, spread_schools, as_user, superuser
):
    report = note(superuser, filled.points.spring, Scope(region=world.region))
    rows = territory_rows(report, NOTE_TABLE)
    assert set(rows) == {"Сургутский район", "г. Мегион"}
    assert "?municipality=" in value_of(rows["г. Мегион"].cells[-1]).url


def test_one_municipality_lists_its_schools(world, filled, spread_schools, superuser):
    report = note(superuser, filled.points.spring, Scope(municipality=world.other_municipality))
    assert report.sections[0].heading == "Общие сведения"
    assert school_names(report) == {s.short_name for s in spread_schools[1::3]}
    assert "— г. Мегион" in report.subtitle


def test_below_the_bound_nothing_changes(world, filled, spread_schools, superuser, settings):
    settings.REPORT_DETAIL_SCHOOLS = 100
    report = note(superuser, filled.points.spring)
    assert school_names(report) == {s.short_name for s in spread_schools}


# --- The same numbers everywhere ---------------------------------------------------------------


def test_each_municipality_row_is_the_municipality_s_own_note(
    world, filled, perm, spread_schools, superuser
):
    spring, quality = filled.points.spring, filled.indicators.quality
    summary = note(superuser, spring, Scope(region=world.region))
    rows = territory_rows(summary, NOTE_TABLE)
    means = territory_rows(summary, "Средние значения")
    for municipality in (world.municipality, world.other_municipality):
        detail = note(superuser, spring, Scope(municipality=municipality))
        general = facts(detail, "Общие сведения")
        row = rows[municipality.name].values
        assert row[1] == general["Школ"]
        assert f"{row[2]} из {row[1] * 2}" == general["Значений школ внесено"]
        assert row[3] == general["Из них утверждено"]
        # The territory's mean of quality is the «факт» of its own note.
        assert value_of(means[municipality.name].cells[1]) == mean_at(detail, quality, spring.title)


def test_the_regions_add_up_to_the_dashboard(
    world, filled, perm, spread_schools, superuser, as_user
):
    spring, quality = filled.points.spring, filled.indicators.quality
    dashboard = as_user(world.coordinator).get(
        reverse("dashboards:dashboard", args=[world.program.pk])
    )
    row = next(r for r in dashboard.context["indicators"]["rows"] if r.indicator == quality)
    cell = next(c for c in row.cells if c["point"] == spring)
    totals = dashboard.context["roadmap"]["totals"]

    report = note(superuser, spring)
    rows = territory_rows(report, NOTE_TABLE).values()
    assert sum(r.values[1] for r in rows) == dashboard.context["completeness"]["school_count"]
    means = territory_rows(report, "Средние значения").values()
    assert sum(r.values[2] or 0 for r in means) == cell["met"]
    assert mean_at(report, quality, spring.title) == Decimal(cell["average"]).quantize(
        Decimal("0.01")
    )
    # Approved values of the schools at the point, over the indicators schools enter.
    at_spring = [
        c["count"] for r in dashboard.context["indicators"]["rows"] for c in r.cells
        if c["point"] == spring
    ]  # fmt: skip
    assert sum(r.values[3] for r in rows) == sum(at_spring) == 11

    passport = KINDS["passport"].build(world.program, superuser)
    items = table(passport, PASSPORT_TABLE)
    total = row_of(items, "Всего").values
    assert (
        sum(r.values[1] or 0 for r in territory_rows(passport, PASSPORT_TABLE).values())
        == (dashboard.context["completeness"]["school_count"])
    )
    assert (total[5], total[6], total[7]) == (totals["total"], totals["done"], totals["late"])
    by_rows = [r.values for r in territory_rows(passport, PASSPORT_TABLE).values()]
    assert sum(v[5] for v in by_rows) == totals["total"]
    assert sum(v[7] for v in by_rows) == totals["late"]


def test_event_participation_rows_agree_with_each_territory_s_report(
    world, filled, perm, spread_schools, superuser
):
    summary = KINDS["events"].build(world.program, superuser, scope=Scope(region=world.region))
    rows = territory_rows(summary, EVENTS_TABLE)
    for municipality in (world.municipality, world.other_municipality):
        detail = KINDS["events"].build(
            world.program, superuser, scope=Scope(municipality=municipality)
        )
        schools = table(detail, "Участие школ").data_rows
        row = rows[municipality.name].values
        assert row[1] == len(schools)
        assert row[2] == sum(1 for r in schools if r.values[2])
        assert row[4] == sum(r.values[1] for r in schools)
        assert row[6] == sum(r.values[3] for r in schools)
    whole = KINDS["events"].build(world.program, superuser)
    took = facts(whole, "Итоги")["Участвовали хотя бы в одном событии"]
    by_region = territory_rows(whole, EVENTS_TABLE).values()
    assert took.startswith(f"{sum(r.values[2] for r in by_region)} из 10 ")


def test_the_passport_lists_pairs_only_for_one_territory(
    world, filled, perm, spread_schools, superuser
):
    summary = KINDS["passport"].build(world.program, superuser)
    assert school_names(summary) == set()
    assert "Пары «куратор — школа»" not in [t.title for t in summary.tables()]
    rows = territory_rows(summary, PASSPORT_TABLE)
    assert rows["Пермский край"].values[1:5] == [3, 0, 3, 0]
    detail = KINDS["passport"].build(world.program, superuser, scope=Scope(municipality=perm[0]))
    pairs = table(detail, "Пары «куратор — школа»").data_rows
    assert {r.values[2] for r in pairs} == {s.short_name for s in spread_schools[2::3]}


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["note", "passport", "events"])
def test_a_summary_makes_as_many_queries_for_50_schools_as_for_5(
    world, filled, perm, low_bound, superuser, as_user, slug
):
    subject = filled.points.spring if slug == "note" else world.program
    client = as_user(superuser)
    address = reverse("reports:report", args=[slug, subject.pk])
    spread(world, filled, perm, 5)
    with CaptureQueriesContext(connection) as five:
        response = client.get(address)
    assert response.status_code == 200
    assert "Отчёт сводный" in response.content.decode()
    spread(world, filled, perm, 45, first=5)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(address).status_code == 200
    assert len(fifty) == len(five)


# --- Who may ask for which territory ------------------------------------------------------------


def page(client, slug, subject, **query):
    return client.get(reverse("reports:report", args=[slug, subject.pk]), query)


@pytest.mark.parametrize("slug", ["note", "passport", "events"])
def test_a_municipal_coordinator_gets_their_territory_and_404_for_another(
    world, filled, perm, spread_schools, as_user, slug
):
    subject = filled.points.spring if slug == "note" else world.program
    municipality, coordinator = perm
    client = as_user(coordinator)
    assert page(client, slug, subject, municipality=municipality.pk).status_code == 200
    assert page(client, slug, subject, region=municipality.region.pk).status_code == 404
    assert page(client, slug, subject, municipality=world.municipality.pk).status_code == 404
    assert page(client, slug, subject, region=world.region.pk).status_code == 404
    download = reverse("reports:report_pdf", args=[slug, subject.pk])
    assert client.get(download, {"municipality": world.municipality.pk}).status_code == 404


@pytest.mark.parametrize(
    ("person", "territory", "status"),
    [
        # The program's own authority and the region's ministry oversee it: any territory.
        ("coordinator", "perm_municipality", 200),
        ("coordinator", "other_municipality", 200),
        ("region", "perm_region", 200),
        ("region", "other_municipality", 200),
        # Schools and curators see their part of the program, never a territory of it.
        ("school", "municipality", 404),
        ("curator", "municipality", 404),
        # A municipality's coordinator: their own municipality, not another one.
        ("other_coordinator", "other_municipality", 200),
        ("other_coordinator", "municipality", 404),
        ("other_coordinator", "perm_region", 404),
        # A school's staff outside the program.
        ("outsider", "other_municipality", 404),
        ("admin", "perm_region", 200),
    ],
)
def test_each_person_may_ask_for_the_territories_they_watch(
    world, filled, perm, spread_schools, as_user, superuser, person, territory, status
):
    user = superuser if person == "admin" else world.people[person]
    params = {
        "municipality": {"municipality": world.municipality.pk},
        "other_municipality": {"municipality": world.other_municipality.pk},
        "perm_municipality": {"municipality": perm[0].pk},
        "perm_region": {"region": perm[0].region.pk},
    }[territory]
    assert page(as_user(user), "note", filled.points.spring, **params).status_code == status


@pytest.mark.parametrize("query", [{"region": "Пермь"}, {"municipality": "999999"}])
def test_a_territory_that_is_not_one_is_404(world, filled, as_user, query):
    assert (
        page(as_user(world.coordinator), "note", filled.points.spring, **query).status_code == 404
    )


def test_the_page_s_downloads_keep_the_territory(world, filled, spread_schools, as_user):
    response = page(
        as_user(world.region_coordinator), "passport", world.program, region=world.region.pk
    )
    pdf = reverse("reports:report_pdf", args=["passport", world.program.pk])
    html = response.content.decode()
    assert f'href="{pdf}?region={world.region.pk}"' in html
    # Each municipality's row leads to its own passport.
    one = reverse("reports:report", args=["passport", world.program.pk])
    detail = f"https://portal.example{one}?municipality={world.other_municipality.pk}"
    assert f'<a href="{detail}">по школам</a>' in html


# --- Files ---------------------------------------------------------------------------------------


def test_the_note_pdf_lists_territories_and_the_territory_s_pdf_its_schools(
    world, filled, perm, spread_schools, as_user
):
    client = as_user(world.region_coordinator)
    address = reverse("reports:report_pdf", args=["note", filled.points.spring.pk])
    summary = pdf_text(client.get(address, {"region": world.region.pk}).content)
    assert "Отчёт сводный" in summary
    assert "Сургутский район" in summary and "г. Мегион" in summary
    assert "по школам" in summary
    assert "Школа 00" not in summary
    detail = pdf_text(client.get(address, {"municipality": world.other_municipality.pk}).content)
    assert "Отчёт сводный" not in detail
    for school in spread_schools[1::3]:
        assert school.short_name in detail
    assert spread_schools[0].short_name not in detail


@pytest.mark.parametrize("slug", ["passport", "events"])
def test_the_passport_and_participation_pdfs_are_summaries_too(
    world, filled, perm, spread_schools, as_user, slug
):
    # The region's ministry oversees the program: its report covers the whole program, as its
    # dashboard does, the schools of Пермский край included, one row per region.
    client = as_user(world.region_coordinator)
    text = pdf_text(
        client.get(reverse("reports:report_pdf", args=[slug, world.program.pk])).content
    )
    assert "Отчёт сводный" in text and "Пермский край" in text
    assert "Школа 00" not in text
    address = reverse("reports:report_pdf", args=[slug, world.program.pk])
    text = pdf_text(client.get(address, {"region": world.region.pk}).content)
    assert "Отчёт сводный" in text and "г. Мегион" in text and "Пермский край" not in text


def test_the_workbook_links_each_row_to_its_territory(world, filled, spread_schools, as_user):
    from .reporting import workbook

    client = as_user(world.region_coordinator)
    address = reverse("reports:report_xlsx", args=["events", world.program.pk])
    for query, key in (({}, "region="), ({"region": world.region.pk}, "municipality=")):
        response = client.get(address, query)
        sheet = next(s for s in workbook(response.content) if s.title.startswith("Участие школ"))
        links = [c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink]
        assert len(links) == 2 and all(key in link for link in links)


def test_render_report_takes_the_territory(world, filled, perm, spread_schools, tmp_path):
    whole, one = tmp_path / "note.pdf", tmp_path / "megion.pdf"
    point = str(filled.points.spring.pk)
    call_command("render_report", "note", point, "-o", str(whole))
    call_command(
        "render_report",
        "note",
        point,
        "-o",
        str(one),
        "--municipality",
        str(world.other_municipality.pk),
    )
    assert "Отчёт сводный" in pdf_text(whole.read_bytes())
    detail = pdf_text(one.read_bytes())
    assert all(s.short_name in detail for s in spread_schools[1::3])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--municipality", "999999"], "Не найден муниципалитет с id 999999."),
        (["--region", "{region}", "--municipality", "{municipality}"], "Укажите что-то одно"),
        (
            ["--municipality", "{municipality}", "--user", "perm"],
            "Не найден муниципалитет с id {municipality} в доступе пользователя perm.",
        ),
    ],
)
def test_render_report_explains_a_wrong_territory(
    world, filled, perm, tmp_path, arguments, message
):
    values = {"region": world.region.pk, "municipality": world.municipality.pk}
    arguments = [a.format(**values) for a in arguments]
    target = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as error:
        call_command(
            "render_report", "note", str(filled.points.spring.pk), "-o", str(target), *arguments
        )
    assert message.format(**values) in str(error.value)
    assert not target.exists()


def test_render_report_refuses_a_territory_for_a_report_without_one(world, filled, tmp_path):
    with pytest.raises(CommandError, match="Территория .* задаётся только для отчётов: "):
        call_command(
            "render_report",
            "roadmap",
            str(filled.roadmap.pk),
            "-o",
            str(tmp_path / "x.pdf"),
            "--region",
            str(world.region.pk),
        )


def test_a_territory_report_made_in_the_background_keeps_its_territory(
    world,
    filled,
    spread_schools,
    as_user,
    settings,
    task_backend,
    django_capture_on_commit_callbacks,
):
    settings.REPORT_BACKGROUND_SCHOOLS = 0
    client = as_user(world.region_coordinator)
    address = reverse("reports:report_pdf", args=["note", filled.points.spring.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(address, {"municipality": world.other_municipality.pk})
    report_file = ReportFile.objects.get()
    assert response.url == reverse("reports:file", args=[report_file.pk])
    assert report_file.params == {"municipality": world.other_municipality.pk}
    assert report_file.title.endswith("— г. Мегион")
    task_backend()
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY
    download = client.get(reverse("reports:file_download", args=[report_file.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert all(s.short_name in text for s in spread_schools[1::3])
    assert spread_schools[0].short_name not in text
