"""The roadmap figures said once: «late» in the program region's date, completion counts that
leave cancelled items out of the total, the items of a territory, and each responsible
organization's own execution of an item — and the pages that show them agree."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.scope import Scope
from programs.models import Participant, Program
from reports.kinds import KINDS
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from schools.models import Membership
from tests import factories as f
from tests.reports.reporting import facts

pytestmark = pytest.mark.django_db

DUE = datetime.date(2023, 5, 31)
# 15:00 UTC on the deadline: 18:00 of 31 May in Moscow (the server's zone), already 1 June in
# Vladivostok.
EVENING = datetime.datetime(2023, 5, 31, 15, 0, tzinfo=datetime.UTC)
Status = RoadmapItem.Status


@pytest.fixture
def far_east(world):
    """The world's region put nine hours ahead of Moscow."""
    world.region.timezone = "Asia/Vladivostok"
    world.region.save()
    return world


@pytest.fixture
def at_evening(monkeypatch):
    """Every «now» of the portal is EVENING."""
    monkeypatch.setattr(timezone, "now", lambda: EVENING)
    return EVENING


def program_item(program, **fields):
    roadmap = Roadmap.objects.get_or_create(
        program=program, level=Roadmap.Level.PROGRAM, defaults={"title": "Дорожная карта"}
    )[0]
    fields.setdefault("due_on", DUE)
    fields.setdefault("starts_on", None)
    return f.RoadmapItemFactory(roadmap=roadmap, **fields)


# Late: one rule, in the program region's date


def test_today_is_the_program_regions_date(far_east):
    program = Program.objects.get(pk=far_east.program.pk)
    assert program.local_today(EVENING) == datetime.date(2023, 6, 1)
    federal = f.ProgramFactory(level=Program.Level.FEDERAL, region=None, municipality=None)
    # A federal program without a region keeps the portal's zone (Europe/Moscow).
    assert federal.local_today(EVENING) == DUE


def test_an_item_is_late_from_the_next_day_in_its_region_in_queries_and_in_python(far_east):
    item = program_item(far_east.program)
    moscow = f.ProgramFactory(region=f.RegionFactory(), municipality=None, level="regional")
    on_time = program_item(moscow)
    items = RoadmapItem.objects.filter(pk__in=[item.pk, on_time.pk])
    # The two programs fall on two dates: each item by its own.
    assert list(items.late(EVENING)) == [item]
    assert list(items.late(EVENING, programs=Program.objects.all())) == [item]
    assert RoadmapItem.objects.get(pk=item.pk).is_late(EVENING)
    assert not RoadmapItem.objects.get(pk=on_time.pk).is_late(EVENING)
    assert RoadmapItem.objects.get(pk=item.pk).days_late(EVENING) == 1
    # Due today, within a week: the Moscow item; the Far East one is already past.
    assert list(items.due_within(7, EVENING)) == [on_time]
    assert set(items.due_soon_or_late(7, EVENING)) == {item, on_time}
    # An hour earlier both regions are on 31 May: nothing is late.
    assert not items.late(EVENING - datetime.timedelta(hours=15)).exists()


def test_when_every_program_shares_one_date_late_needs_no_join(world):
    program = Program.objects.select_related("region").get(pk=world.program.pk)
    sql = str(RoadmapItem.objects.late(EVENING, programs=[program]).order_by().query)
    assert "JOIN" not in sql


def test_every_page_calls_an_item_late_on_the_same_day(far_east, at_evening, as_user):
    world = far_east
    item = program_item(world.program, title="Совещание руководителей")
    item.responsible.add(world.supported_school)
    coordinator = as_user(world.coordinator)
    roadmap_page = coordinator.get(item.roadmap.get_absolute_url())
    assert roadmap_page.context["progress"]["late"] == 1
    assert "просрочено" in roadmap_page.content.decode()
    dashboard = coordinator.get(reverse("dashboards:dashboard", args=[world.program.pk]))
    assert dashboard.context["roadmap"]["totals"]["late"] == 1
    territory = coordinator.get(reverse("dashboards:territory"))
    assert [row["late"] for row in territory.context["rows"]] == [1]
    home = as_user(world.school).get(reverse("home"))
    assert home.context["item_counts"]["late"] == 1
    school_page = as_user(world.school).get(
        reverse("schools:organization", args=[world.supported_school.pk])
    )
    assert school_page.context["item_progress"]["late"] == 1
    assert "просрочено" in coordinator.get(item.get_absolute_url()).content.decode()
    listed = coordinator.get(reverse("roadmaps:items", args=[world.program.pk]) + "?late=true")
    assert [row.record for row in listed.context["table"].rows] == [item]


# Completion: cancelled items are not in the total and are counted on their own


def test_a_cancelled_item_leaves_the_total_on_every_page_and_report(world, as_user):
    program = world.program
    done = program_item(program, status=Status.DONE, completed_on=DUE)
    program_item(program, status=Status.PLANNED)
    program_item(program, status=Status.CANCELLED)
    roadmap = done.roadmap
    coordinator = as_user(world.coordinator)

    page = coordinator.get(roadmap.get_absolute_url()).context["progress"]
    assert (page["total"], page["done"], page["cancelled"], page["share"]) == (2, 1, 1, 50.0)
    totals = coordinator.get(reverse("dashboards:dashboard", args=[program.pk])).context["roadmap"][
        "totals"
    ]
    assert (totals["total"], totals["done"], totals["cancelled"]) == (2, 1, 1)
    (row,) = coordinator.get(reverse("dashboards:territory")).context["rows"]
    assert (row["items"], row["done"], row["cancelled"]) == (2, 1, 1)
    (listed,) = coordinator.get(program.get_absolute_url()).context["roadmaps"]
    assert (listed.items_total, listed.items_done, listed.items_cancelled) == (2, 1, 1)
    report = KINDS["roadmap"].build(roadmap, world.coordinator)
    summary = facts(report, "Итоги")
    assert (summary["Мероприятий всего"], summary["Отменено"]) == (2, 1)
    assert summary["Выполнено"] == "1 (50 %)"


def test_completion_counts_every_state(world):
    for status in (Status.PLANNED, Status.IN_PROGRESS, Status.NOT_DONE, Status.CANCELLED):
        program_item(world.program, status=status)
    program_item(world.program, status=Status.DONE, completed_on=DUE)
    next_day = EVENING + datetime.timedelta(days=1)
    counts = RoadmapItem.objects.filter(roadmap__program=world.program).completion(next_day)
    assert counts == {
        "total": 4,
        "done": 1,
        "in_progress": 1,
        "not_done": 1,
        "planned": 1,
        "cancelled": 1,
        # Planned, in progress and not done are open; their deadline has passed.
        "late": 3,
        "share": 25.0,
    }


# Items of a territory


def test_a_municipal_programs_own_roadmap_counts_in_its_territory(world, as_user):
    program_item(world.program)
    program_item(world.program, status=Status.DONE, completed_on=DUE)
    (row,) = as_user(world.coordinator).get(reverse("dashboards:territory")).context["rows"]
    assert (row["items"], row["done"], row["late"]) == (2, 1, 1)
    narrowed = as_user(world.coordinator).get(
        reverse("dashboards:dashboard", args=[world.program.pk])
        + f"?municipality={world.municipality.pk}"
    )
    assert narrowed.context["roadmap"]["totals"]["total"] == 2
    regional = as_user(world.region_coordinator).get(
        reverse("dashboards:territory") + f"?region={world.region.pk}"
    )
    assert [r["items"] for r in regional.context["rows"] if r["program"] == world.program] == [2]


def test_a_regional_programs_item_lies_where_its_responsible_school_is(world):
    regional = f.ProgramFactory(
        owner=world.ministry, region=world.region, municipality=None, level="regional"
    )
    here = program_item(regional)
    here.responsible.add(world.supported_school)
    elsewhere = program_item(regional)
    elsewhere.responsible.add(f.OrganizationFactory(municipality=world.other_municipality))
    items = RoadmapItem.objects.filter(roadmap__program=regional)
    assert list(items.in_scope(Scope(municipality=world.municipality))) == [here]
    assert set(items.in_scope(Scope(region=world.region))) == {here, elsewhere}
    assert set(items.in_scope(Scope())) == {here, elsewhere}


def test_school_and_pair_roadmaps_lie_where_their_school_is(world):
    school_roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
    )
    pair_roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.PAIR, pair=world.pair
    )
    outside = f.OrganizationFactory(municipality=world.other_municipality)
    other_roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.SCHOOL, organization=outside
    )
    mine = [f.RoadmapItemFactory(roadmap=r) for r in (school_roadmap, pair_roadmap)]
    f.RoadmapItemFactory(roadmap=other_roadmap)
    scoped = RoadmapItem.objects.in_scope(Scope(municipality=world.municipality))
    assert set(scoped) == set(mine)


# Each responsible organization's execution


@pytest.fixture
def shared(world):
    """A program-wide item carried out by two schools, each with its staff."""
    second = f.OrganizationFactory(municipality=world.municipality, short_name="МБОУ «Второй»")
    f.ParticipantFactory(
        program=world.program, organization=second, role=Participant.Role.SUPPORTED
    )
    staff = f.UserFactory(username="second")
    Membership.objects.create(user=staff, organization=second, role=Membership.Role.STAFF)
    item = program_item(world.program, due_on=datetime.date(2099, 5, 31))
    item.responsible.add(world.supported_school, second)
    return item, second, staff


def report(client, item, status):
    item.refresh_from_db()
    return client.post(
        item.get_absolute_url(),
        {"status": status, "text": "Сделано", "completed_on": "", "revision": item.revision},
    )


def execution(item, organization):
    return ItemExecution.objects.get(item=item, organization=organization)


def test_one_school_reporting_done_does_not_close_the_item_for_the_others(world, shared, as_user):
    item, second, staff = shared
    assert report(as_user(world.school), item, Status.DONE).status_code == 302
    item.refresh_from_db()
    assert execution(item, world.supported_school).status == Status.DONE
    assert execution(item, second).status == Status.PLANNED
    assert item.status == Status.IN_PROGRESS and item.completed_on is None
    assert item.reports.get().organization == world.supported_school

    assert report(as_user(staff), item, Status.DONE).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.DONE and item.completed_on is not None


def test_the_table_by_responsible_counts_each_schools_own_part(world, shared, as_user):
    item, second, staff = shared
    report(as_user(world.school), item, Status.DONE)
    dashboard = as_user(world.coordinator).get(
        reverse("dashboards:dashboard", args=[world.program.pk])
    )
    rows = {row["organization_id"]: row for row in dashboard.context["roadmap"]["by_responsible"]}
    assert (rows[world.supported_school.pk]["done"], rows[second.pk]["done"]) == (1, 0)
    assert dashboard.context["roadmap"]["totals"]["in_progress"] == 1
    school_page = as_user(staff).get(reverse("schools:organization", args=[second.pk]))
    assert school_page.context["item_progress"]["done"] == 0


def test_the_coordinators_status_change_sets_the_whole_item(world, shared, as_user):
    item, second, staff = shared
    response = as_user(world.coordinator).post(
        reverse("roadmaps:item_status", args=[item.pk]),
        {f"item{item.pk}-status": Status.CANCELLED, f"item{item.pk}-revision": item.revision},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.CANCELLED
    assert set(item.executions.values_list("status", flat=True)) == {Status.CANCELLED}


def test_a_schools_status_change_in_place_sets_its_own_part(world, shared, as_user):
    item, second, staff = shared
    response = as_user(staff).post(
        reverse("roadmaps:item_status", args=[item.pk]),
        {f"item{item.pk}-status": Status.IN_PROGRESS, f"item{item.pk}-revision": item.revision},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert f'data-organization="{second.pk}" data-status="in_progress"' in html
    assert f'data-organization="{world.supported_school.pk}" data-status="planned"' in html
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS


def test_the_item_page_shows_each_organizations_state(world, shared, as_user):
    item, second, staff = shared
    report(as_user(staff), item, Status.DONE)
    page = as_user(world.coordinator).get(item.get_absolute_url()).content.decode()
    executions = page[page.index('id="executions"') :]
    executions = executions[: executions.index("</ul>")]
    assert "МБОУ «Второй»" in executions and "выполнено" in executions
    assert "запланировано" in executions
    # The history of the item records the responsible organizations' states too.
    record = item.history.first()
    assert {(row.organization_id, row.status) for row in record.responsible.all()} == {
        (second.pk, Status.DONE),
        (world.supported_school.pk, Status.PLANNED),
    }


def test_the_state_of_an_item_follows_from_its_executions():
    def state(*statuses):
        item = RoadmapItem(status=Status.PLANNED)
        item.derive_status(
            [
                ItemExecution(status=s, completed_on=DUE if s == Status.DONE else None)
                for s in statuses
            ]
        )
        return item.status

    assert state(Status.CANCELLED, Status.CANCELLED) == Status.CANCELLED
    assert state(Status.DONE, Status.CANCELLED) == Status.DONE
    assert state(Status.DONE, Status.NOT_DONE) == Status.NOT_DONE
    assert state(Status.DONE, Status.PLANNED) == Status.IN_PROGRESS
    assert state(Status.PLANNED, Status.PLANNED) == Status.PLANNED


def test_naming_a_responsible_later_keeps_the_items_state(world):
    item = program_item(world.program, status=Status.DONE, completed_on=DUE)
    item.responsible.add(world.supported_school)
    assert execution(item, world.supported_school).status == Status.DONE


# The item page without history


def test_an_item_made_in_bulk_without_history_has_its_page(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    (item,) = RoadmapItem.objects.bulk_create([RoadmapItem(roadmap=roadmap, title="Без истории")])
    assert not item.history.exists()
    response = as_user(world.coordinator).get(item.get_absolute_url())
    assert response.status_code == 200
    assert response.context["history"] == []


# Query counts


def test_the_roadmap_page_dashboard_and_territory_do_not_grow_with_program_items(world, as_user):
    client = as_user(world.coordinator)
    roadmap = program_item(world.program).roadmap
    urls = [
        roadmap.get_absolute_url(),
        reverse("dashboards:dashboard", args=[world.program.pk]),
        reverse("dashboards:dashboard", args=[world.program.pk])
        + f"?municipality={world.municipality.pk}",
        reverse("dashboards:territory"),
    ]

    def queries():
        # Every kind of figure computed both times: a new item alone recomputes only the
        # roadmap's (dashboards/cache.py), which would hide a query that grows.
        cache.clear()
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    def add(count):
        for n in range(count):
            item = program_item(world.program, status=list(Status)[n % 5])
            item.responsible.add(world.supported_school, world.curator_school)

    add(3)
    few = queries()
    add(30)
    assert queries() == few
