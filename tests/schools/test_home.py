"""The home page tells each person what to do next: items due within 14 days or late that they
may report on, points open for entry for their schools, values and documents waiting for them,
and their programs and schools. Counts are of everything, rows are the first few."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Measurement
from programs.models import Document, Participant, Program
from tests import factories as f

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def section(response, anchor):
    html = response.content.decode()
    if f'id="{anchor}"' not in html:
        return ""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def listed_items(response):
    """The items the home lists: due this week, and late in its groups by roadmap."""
    week = list(response.context["week"]["items"])
    return week + [item for group in response.context["late_groups"] for item in group.items]


def test_the_school_sees_its_due_and_late_items_with_the_late_one_marked(scene, world, as_user):
    response = home(as_user(world.school))
    assert response.context["item_counts"] == {"total": 2, "late": 1}
    week, late = section(response, "home-week"), section(response, "home-late")
    assert scene.inside.item.title in week and "просрочено" not in week
    assert scene.inside.late_item.title not in week
    row = late[late.index(scene.inside.late_item.title) :]
    assert "просрочено" in row[: row.index("</li>")]
    assert "Мегион" not in week + late


def test_items_far_ahead_or_done_or_not_theirs_are_not_listed(scene, world, as_user):
    roadmap = scene.inside.roadmap
    far = f.RoadmapItemFactory(roadmap=roadmap, due_on=scene.today + datetime.timedelta(days=40))
    done = f.RoadmapItemFactory(
        roadmap=roadmap, due_on=scene.today - datetime.timedelta(days=1), status="done"
    )
    for item in (far, done):
        item.responsible.add(world.supported_school)
    f.RoadmapItemFactory(roadmap=roadmap, due_on=scene.today)  # nobody's school
    listed = set(listed_items(home(as_user(world.school))))
    assert listed == {scene.inside.item, scene.inside.late_item}


def test_the_school_gets_a_direct_link_to_enter_its_values(scene, world, as_user):
    response = home(as_user(world.school))
    url = reverse("monitoring:entry", args=[scene.inside.point.pk, world.supported_school.pk])
    assert f'href="{url}"' in section(response, "home-points")
    assert response.context["points_count"] == 1


def test_a_closed_point_is_not_offered(scene, world, as_user):
    scene.inside.point.locked = True
    scene.inside.point.save()
    assert home(as_user(world.school)).context["points_count"] == 0


def test_the_curator_sees_values_waiting_for_approval(scene, world, as_user):
    response = home(as_user(world.curator))
    assert response.context["awaiting_count"] == 1
    [row] = response.context["waiting"]["approvals"]
    assert (row["point"], row["schools"], row["values"]) == (scene.inside.point.pk, 1, 1)
    assert home(as_user(world.school)).context["awaiting_count"] == 0


def test_values_of_schools_out_of_sight_do_not_wait_for_approval(world, as_user):
    """A national program's coordinator (through its owner) may set it up, but a school of
    another region is out of their sight: its values are neither listed nor approvable."""
    program = f.ProgramFactory(
        owner=world.ministry, level=Program.Level.FEDERAL, region=None, municipality=None
    )
    far_school = f.OrganizationFactory(short_name="МКОУ «Дальняя СОШ»")
    f.ParticipantFactory(program=program, organization=far_school)
    point = f.MonitoringPointFactory(program=program)
    value = f.MeasurementFactory(
        indicator=f.IndicatorFactory(program=program),
        point=point,
        organization=far_school,
        value=5,
        status=Measurement.Status.SUBMITTED,
    )
    client = as_user(world.region_coordinator)
    assert (
        client.get(reverse("monitoring:entry", args=[point.pk, far_school.pk])).status_code == 404
    )
    assert value not in Measurement.objects.approvable_by(world.region_coordinator)
    response = home(client)
    assert response.context["awaiting_count"] == 0
    assert "Дальняя СОШ" not in response.content.decode()


def test_the_school_sees_values_and_documents_returned_to_it(scene, world, as_user):
    Measurement.objects.filter(pk=scene.inside.measurement.pk).update(status="returned")
    Document.objects.filter(pk=scene.inside.document.pk).update(status="needs_revision")
    response = home(as_user(world.school))
    assert response.context["returned_count"] == 1
    assert response.context["documents_to_fix_count"] == 1
    assert "Значения возвращены на доработку" in response.content.decode()


def test_the_coordinator_sees_documents_waiting_for_review(scene, world, as_user):
    Document.objects.filter(pk=scene.inside.document.pk).update(status="submitted")
    Document.objects.filter(pk=scene.outside.document.pk).update(status="submitted")
    assert home(as_user(world.coordinator)).context["documents_to_review_count"] == 1
    assert home(as_user(world.region_coordinator)).context["documents_to_review_count"] == 2
    assert home(as_user(world.school)).context["documents_to_review_count"] == 0


def test_programs_and_schools_are_each_persons_own(scene, world, as_user):
    response = home(as_user(world.outsider))
    assert [p.short_title for p in response.context["programs"]] == ["Мегион-500"]
    assert [s.short_name for s in response.context["schools"]] == ["МАОУ «СОШ №2»"]
    assert response.context["item_counts"]["total"] == 2
    assert response.context["awaiting_count"] == 0


def test_counts_are_of_everything_while_rows_are_the_first_twenty(scene, world, as_user):
    for n in range(25):
        item = f.RoadmapItemFactory(
            roadmap=scene.inside.roadmap, due_on=scene.today - datetime.timedelta(days=n + 1)
        )
        item.responsible.add(world.supported_school)
    response = home(as_user(world.school))
    assert response.context["item_counts"] == {"total": 27, "late": 26}
    # The late items of one roadmap: its first three, and a link to all of them.
    [group] = response.context["late_groups"]
    assert (group.count, len(group.items)) == (26, 3)
    assert response.context["late_count"] == 26
    assert "Все просроченные в этой карте (26)" in section(response, "home-late")


def grow(world, scene, count, first):
    """`count` more supported schools with late items, submitted values and documents."""
    for n in range(first, first + count):
        school = f.OrganizationFactory(municipality=world.municipality, short_name=f"Школа {n}")
        f.ParticipantFactory(
            program=world.program, organization=school, role=Participant.Role.SUPPORTED
        )
        item = f.RoadmapItemFactory(
            roadmap=scene.inside.roadmap, due_on=scene.today - datetime.timedelta(days=1)
        )
        item.responsible.add(school, world.supported_school)
        f.MeasurementFactory(
            indicator=scene.inside.count,
            point=scene.inside.point,
            organization=school,
            value=1,
            status="submitted",
        )
        f.DocumentFactory(
            program=world.program, organization=school, status=Document.Status.SUBMITTED
        )
        f.MonitoringPointFactory(
            program=world.program, entry_deadline=scene.today + datetime.timedelta(days=n + 1)
        )


@pytest.mark.parametrize("person", ["school", "curator", "coordinator"])
def test_the_home_page_makes_the_same_queries_for_5_and_50_rows(scene, world, as_user, person):
    client = as_user(world.people[person])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            home(client)
        return len(captured)

    grow(world, scene, 5, 0)
    few = queries()
    grow(world, scene, 45, 5)
    assert queries() == few


def test_a_to_do_count_past_the_limit_says_more_than(scene, world, as_user, monkeypatch):
    """The database stops counting one past the limit; the home says «более …»."""
    from config import views

    monkeypatch.setattr(views, "HOME_COUNT_LIMIT", 0)
    response = home(as_user(world.curator))
    assert response.context["awaiting_count"] == 1
    assert "более 0" in section(response, "home-waiting")
    monkeypatch.setattr(views, "HOME_COUNT_LIMIT", 1)
    response = home(as_user(world.curator))
    assert "более" not in section(response, "home-waiting")
