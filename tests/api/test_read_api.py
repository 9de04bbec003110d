"""The read API as each kind of person: every list and object through its model's access rule
(404 outside it), figures through the dashboard's scope, filters, and the schema valid."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from dashboards.cache import dashboard_figures
from dashboards.scope import WHOLE
from monitoring.models import Measurement
from programs.models import Participant
from roadmaps.models import Roadmap
from schools.models import Organization, SchoolStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


@pytest.fixture
def other_program(scene):
    return scene.outside.program


# Programs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("region", True, True),
        ("coordinator", True, False),
        ("other_coordinator", False, True),
        ("curator", True, False),
        ("school", True, False),
        ("outsider", False, True),
    ],
)
def test_each_person_gets_the_programs_they_see(
    world, scene, bearer, other_program, name, inside, outside
):
    client = bearer(world.people[name])
    expected = {p.pk for p, seen in ((world.program, inside), (other_program, outside)) if seen}
    assert ids(client.get(f"{V1}/programs")) == expected
    for program, seen in ((world.program, inside), (other_program, outside)):
        response = client.get(f"{V1}/programs/{program.pk}")
        assert response.status_code == (200 if seen else 404)
        if seen:
            assert response.json()["short_title"] == program.short_title


def test_a_program_that_does_not_exist_is_404_like_one_out_of_reach(world, bearer):
    response = bearer(world.region_coordinator).get(f"{V1}/programs/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Не найдено."}


def test_programs_are_filtered_by_territory(world, scene, bearer, other_program):
    client = bearer(world.region_coordinator)
    both = {world.program.pk, other_program.pk}
    assert ids(client.get(f"{V1}/programs", {"region": world.region.pk})) == both
    assert ids(client.get(f"{V1}/programs", {"municipality": world.municipality.pk})) == {
        world.program.pk
    }


# Figures ---------------------------------------------------------------------------------


def test_the_figures_are_the_dashboards_own(world, scene, bearer):
    response = bearer(world.coordinator).get(f"{V1}/programs/{world.program.pk}/figures")
    assert response.status_code == 200
    body = response.json()
    dashboard = dashboard_figures(world.program, WHOLE, timezone.now())
    assert body["territory"] == {"kind": "program", "id": None, "name": "Сургутский район"}
    assert body["schools"] == dashboard["completeness"]["school_count"] == 1
    assert body["roadmap"]["total"] == dashboard["roadmap"]["totals"]["total"] == 2
    assert body["roadmap"]["late"] == 1
    indicator = next(row for row in body["indicators"] if row["code"] == "1")
    baseline = next(p for p in indicator["points"] if p["point_id"] == scene.inside.baseline.pk)
    # The approved baseline value counts; the value still waiting for approval does not.
    assert baseline["average"] == 25.0 and baseline["schools_measured"] == 1
    later = next(p for p in indicator["points"] if p["point_id"] == scene.inside.point.pk)
    assert later["average"] is None and later["target"] == 10.0 and later["comparison"] == "le"
    assert [row["code"] for row in body["effectiveness"]] == ["4"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("region", 200),
        ("coordinator", 200),
        ("other_coordinator", 404),
        # Schools and curators see the program but not its dashboard, as on the page.
        ("curator", 403),
        ("school", 403),
        ("outsider", 404),
    ],
)
def test_the_figures_follow_the_dashboards_scope(world, scene, bearer, name, status):
    response = bearer(world.people[name]).get(f"{V1}/programs/{world.program.pk}/figures")
    assert response.status_code == status
    assert "detail" in response.json() if status != 200 else "roadmap" in response.json()


def test_a_municipalitys_staff_get_their_part_of_a_regional_program(world, scene, bearer):
    regional = f.ProgramFactory(
        owner=world.ministry, level="regional", region=world.region, municipality=None
    )
    f.ParticipantFactory(
        program=regional, organization=world.supported_school, role=Participant.Role.SUPPORTED
    )
    f.ParticipantFactory(
        program=regional, organization=world.outsider_school, role=Participant.Role.SUPPORTED
    )
    mine = bearer(world.coordinator).get(f"{V1}/programs/{regional.pk}/figures").json()
    assert mine["territory"]["kind"] == "municipality"
    assert mine["territory"]["id"] == world.municipality.pk
    assert mine["schools"] == 1
    whole = bearer(world.region_coordinator).get(f"{V1}/programs/{regional.pk}/figures").json()
    assert whole["territory"]["kind"] == "program" and whole["schools"] == 2
    narrowed = bearer(world.region_coordinator).get(
        f"{V1}/programs/{regional.pk}/figures", {"municipality": world.other_municipality.pk}
    )
    assert narrowed.json()["schools"] == 1
    # Another municipality's part is not the municipal coordinator's to watch.
    refused = bearer(world.coordinator).get(
        f"{V1}/programs/{regional.pk}/figures", {"municipality": world.other_municipality.pk}
    )
    assert refused.status_code == 403


# Schools, pairs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("coordinator", {"curator_school", "supported_school", "branch"}),
        ("other_coordinator", {"outsider_school"}),
        ("curator", {"curator_school", "supported_school"}),
        ("school", {"supported_school", "branch"}),
        ("outsider", {"outsider_school"}),
    ],
)
def test_each_person_gets_the_schools_they_see(world, scene, bearer, name, expected):
    found = ids(bearer(world.people[name]).get(f"{V1}/schools"))
    assert found == {getattr(world, key).pk for key in expected}


def test_schools_come_with_their_yearly_statuses(world, bearer):
    f.SchoolStatusFactory(
        school=world.supported_school, year=2023, category=SchoolStatus.Category.LOW_RESULTS
    )
    rows = bearer(world.school).get(f"{V1}/schools").json()["items"]
    school = next(row for row in rows if row["id"] == world.supported_school.pk)
    assert [(s["year"], s["category"]) for s in school["statuses"]] == [(2023, "low_results")]


def test_schools_are_filtered_by_program_territory_and_change(world, scene, bearer):
    client = bearer(world.region_coordinator)
    in_program = ids(client.get(f"{V1}/schools", {"program": world.program.pk}))
    assert in_program == {world.supported_school.pk, world.curator_school.pk}
    other = ids(client.get(f"{V1}/schools", {"municipality": world.other_municipality.pk}))
    assert other == {world.outsider_school.pk}
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Organization.objects.exclude(pk=world.branch.pk).update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).date().isoformat()
    assert ids(client.get(f"{V1}/schools", {"changed_since": since})) == {world.branch.pk}
    world.outsider_school.address = "г. Мегион, ул. Новая, 1"
    world.outsider_school.save()
    changed = ids(client.get(f"{V1}/schools", {"changed_since": since}))
    assert changed == {world.branch.pk, world.outsider_school.pk}
    wrong = client.get(f"{V1}/schools", {"changed_since": "вчера"})
    assert wrong.status_code == 422
    assert "ISO 8601" in wrong.json()["detail"]


def test_a_program_out_of_reach_as_a_filter_is_404(world, scene, bearer, other_program):
    response = bearer(world.school).get(f"{V1}/schools", {"program": other_program.pk})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "sees"), [("coordinator", True), ("curator", True), ("outsider", False)]
)
def test_pairs_follow_their_rule(world, scene, bearer, name, sees):
    assert ids(bearer(world.people[name]).get(f"{V1}/pairs")) == (
        {world.pair.pk} if sees else set()
    )


# Roadmaps, items, events -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "pair_roadmap"),
    [("coordinator", True), ("curator", True), ("school", True), ("outsider", False)],
)
def test_roadmaps_and_items_follow_their_rule(world, scene, bearer, name, pair_roadmap):
    client = bearer(world.people[name])
    roadmaps = ids(client.get(f"{V1}/roadmaps", {"program": world.program.pk}))
    inside = {scene.inside.roadmap.pk, scene.pair_roadmap.pk} if pair_roadmap else set()
    if name == "outsider":
        inside = set()
    assert roadmaps == inside
    items = ids(client.get(f"{V1}/items"))
    outside = {scene.outside.item.pk, scene.outside.late_item.pk}
    assert ({scene.inside.item.pk, scene.inside.late_item.pk} <= items) == (name != "outsider")
    assert (outside <= items) == (name == "outsider")


def test_items_say_whether_they_are_late_and_how_each_school_does(world, scene, bearer):
    rows = {row["id"]: row for row in bearer(world.coordinator).get(f"{V1}/items").json()["items"]}
    late, current = rows[scene.inside.late_item.pk], rows[scene.inside.item.pk]
    assert late["is_late"] is True and current["is_late"] is False
    assert current["module"] == "Модуль «Вектор»"
    assert current["executions"] == [
        {"organization_id": world.supported_school.pk, "status": "planned", "completed_on": None}
    ]


def test_items_of_a_territory_are_the_dashboards(world, scene, bearer):
    school_roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.SCHOOL, organization=world.outsider_school
    )
    there = f.RoadmapItemFactory(roadmap=school_roadmap)
    client = bearer(world.region_coordinator)
    found = ids(client.get(f"{V1}/items", {"municipality": world.other_municipality.pk}))
    assert there.pk in found
    assert scene.inside.item.pk not in found


def test_events_come_with_invitations_and_attendance(world, scene, bearer, other_program):
    event = f.EventFactory(program=world.program, starts_at=timezone.now())
    event.invited.add(world.supported_school)
    f.AttendanceFactory(event=event, organization=world.supported_school, people_count=4)
    elsewhere = f.EventFactory(program=other_program)
    rows = bearer(world.school).get(f"{V1}/events").json()["items"]
    assert [row["id"] for row in rows] == [event.pk]
    assert rows[0]["invited"] == [world.supported_school.pk]
    assert rows[0]["attendance"] == [
        {"organization_id": world.supported_school.pk, "people_count": 4}
    ]
    assert ids(bearer(world.outsider).get(f"{V1}/events")) == {elsewhere.pk}


# Monitoring ------------------------------------------------------------------------------


def test_indicators_points_and_targets_follow_the_program(world, scene, bearer):
    inside, outside = scene.inside, scene.outside
    client = bearer(world.school)
    assert ids(client.get(f"{V1}/indicators")) == {
        *(i.pk for i in inside.indicators),
        inside.computed.pk,
    }
    assert ids(client.get(f"{V1}/points")) == {inside.baseline.pk, inside.point.pk}
    assert ids(client.get(f"{V1}/targets")) == set(
        inside.percent.targets.values_list("pk", flat=True)
    )
    outsider = bearer(world.outsider)
    assert ids(outsider.get(f"{V1}/points")) == {outside.baseline.pk, outside.point.pk}
    inside.percent.assessment, inside.percent.measure = "vpr", "share_2"
    inside.percent.grades = [5, 6]
    inside.percent.save()
    row = next(
        r for r in client.get(f"{V1}/indicators").json()["items"] if r["id"] == inside.percent.pk
    )
    assert (row["assessment"], row["measure"], row["grades"]) == ("vpr", "share_2", [5, 6])


def test_a_schools_own_target_is_seen_only_by_those_who_see_the_school(world, scene, bearer):
    own = f.TargetFactory(
        indicator=scene.inside.percent,
        point=scene.inside.point,
        organization=world.supported_school,
        value=12,
    )
    assert own.pk in ids(bearer(world.coordinator).get(f"{V1}/targets"))
    assert own.pk in ids(bearer(world.school).get(f"{V1}/targets"))
    # The curator school's staff see the program, and the supported school through the pair.
    assert own.pk in ids(bearer(world.curator).get(f"{V1}/targets"))
    assert ids(bearer(world.outsider).get(f"{V1}/targets", {"program": world.program.pk})) == set()


@pytest.mark.parametrize(
    ("name", "inside", "outside"),
    [
        ("region", True, True),
        ("coordinator", True, False),
        ("curator", True, False),
        ("school", True, False),
        ("outsider", False, True),
    ],
)
def test_values_are_the_approved_ones_each_person_sees(world, scene, bearer, name, inside, outside):
    approved = Measurement.objects.counted()
    mine = set(approved.filter(indicator__program=world.program).values_list("pk", flat=True))
    theirs = set(
        approved.filter(indicator__program=scene.outside.program).values_list("pk", flat=True)
    )
    assert mine and theirs
    expected = (mine if inside else set()) | (theirs if outside else set())
    assert ids(bearer(world.people[name]).get(f"{V1}/values")) == expected
    # The value waiting for approval is never in the API.
    assert scene.inside.measurement.pk not in expected


def test_values_are_filtered_by_point_territory_and_approval_time(world, scene, bearer):
    client = bearer(world.region_coordinator)
    baseline = scene.inside.baseline
    found = ids(client.get(f"{V1}/values", {"point": baseline.pk}))
    assert found == set(baseline.measurements.counted().values_list("pk", flat=True))
    there = ids(client.get(f"{V1}/values", {"municipality": world.other_municipality.pk}))
    assert there == set(
        Measurement.objects.counted()
        .filter(organization=world.outsider_school)
        .values_list("pk", flat=True)
    )
    value = scene.inside.measurement
    value.status = Measurement.Status.APPROVED
    value.approved_at = timezone.now()
    value.save()
    since = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert ids(client.get(f"{V1}/values", {"changed_since": since})) == {value.pk}


def test_lists_are_paged(world, scene, bearer):
    client = bearer(world.region_coordinator)
    first = client.get(f"{V1}/indicators", {"page_size": 3})
    second = client.get(f"{V1}/indicators", {"page_size": 3, "page": 2})
    assert first.json()["count"] == second.json()["count"] == 8
    assert len(first.json()["items"]) == 3
    assert not ids(first) & ids(second)


# Query counts ----------------------------------------------------------------------------

LISTS = [
    "schools",
    "pairs",
    "roadmaps",
    "items",
    "events",
    "indicators",
    "points",
    "targets",
    "values",
    "programs",
    "regions",
    "municipalities",
]


def grow(world, scene, count):
    """`count` more supported schools of the program, each with a status, a pair, a school
    roadmap with an item it carries out, an approved value, a target and an attendance."""
    program = world.program
    event = program.events.first() or f.EventFactory(program=program)
    for _ in range(count):
        school = f.OrganizationFactory(municipality=world.municipality)
        f.SchoolStatusFactory(school=school, year=2023)
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
        f.CuratorPairFactory(program=program, supported_school=school)
        roadmap = f.RoadmapFactory(program=program, level=Roadmap.Level.SCHOOL, organization=school)
        item = f.RoadmapItemFactory(roadmap=roadmap)
        item.responsible.add(school)
        f.MeasurementFactory(
            indicator=scene.inside.percent,
            point=scene.inside.baseline,
            organization=school,
            value=30,
            status=Measurement.Status.APPROVED,
        )
        f.TargetFactory(
            indicator=scene.inside.percent, point=scene.inside.point, organization=school
        )
        event.invited.add(school)
        f.AttendanceFactory(event=event, organization=school)


def counts(client):
    found = {}
    for name in LISTS:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{V1}/{name}")
        assert response.status_code == 200
        found[name] = len(captured)
    return found


def test_the_lists_query_count_is_the_same_for_5_and_50_schools(world, scene, bearer):
    client = bearer(world.coordinator)
    grow(world, scene, 5)
    few = counts(client)
    grow(world, scene, 45)
    many = counts(client)
    assert few == many
    # The token check (2), where the person sits (3), the count and the page, and one per
    # prefetched relation: no list needs more.
    assert max(few.values()) <= 10, few


# The description -------------------------------------------------------------------------


def test_the_openapi_description_is_valid_and_public(world):
    response = Client().get(f"{V1}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    paths = set(schema["paths"])
    assert {f"{V1}/{name}" for name in LISTS} <= paths
    assert f"{V1}/programs/{{pk}}/figures" in paths
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_docs_page_uses_the_portals_own_swagger_files(world):
    response = Client().get(f"{V1}/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui-init.js" in page
    # Nothing from another site: the CSP allows scripts and styles from the portal only.
    assert "https://" not in page and "http://" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert Client().get(f"/static/ninja/{name}").status_code == 200
