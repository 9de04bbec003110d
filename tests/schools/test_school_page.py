"""A school's page: statuses by year, risk profile with its dynamics, pair and curators, roadmap
progress with late items marked, indicator values against baseline and target, documents."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Indicator, Measurement
from programs.models import Document
from roadmaps.models import Roadmap
from schools.models import SchoolStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def page_of(client, school):
    response = client.get(school.get_absolute_url())
    assert response.status_code == 200
    return response


def section(html, anchor):
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_statuses_are_shown_by_year(world, scene, as_user):
    school = world.supported_school
    f.SchoolStatusFactory(school=school, year=2021, category=SchoolStatus.Category.LOW_RESULTS)
    f.SchoolStatusFactory(school=school, year=2022, category=SchoolStatus.Category.LOW_RESULTS)
    f.SchoolStatusFactory(school=school, year=2022, category=SchoolStatus.Category.RISK_ZONE)
    html = page_of(as_user(world.school), school).content.decode()
    statuses = section(html, "statuses")
    assert statuses.index("2022:") < statuses.index("2021:")
    line_2022 = statuses[statuses.index("2022:") : statuses.index("2021:")]
    assert "ШНОР" in line_2022 and "«зона риска»" in line_2022


def test_the_pair_and_its_curators_are_named(world, scene, as_user):
    html = page_of(as_user(world.coordinator), world.supported_school).content.decode()
    pairs = section(html, "pairs")
    assert "школа-куратор" in pairs and "МБОУ «Нижнесортымская СОШ»" in pairs
    assert "Ирина Петрова" in pairs
    curator_side = page_of(as_user(world.coordinator), world.curator_school).content.decode()
    assert "курирует" in section(curator_side, "pairs")


def test_the_risk_profile_shows_its_dynamics(world, scene, as_user):
    response = page_of(as_user(world.curator), world.supported_school)
    assert [row["change"] for row in response.context["risk_rows"]] == ["down", "same", "up"]
    assert "▲ вырос" in section(response.content.decode(), "risk")


def test_roadmap_progress_counts_and_marks_late_items(world, scene, as_user):
    response = page_of(as_user(world.school), world.supported_school)
    progress = response.context["item_progress"]
    assert (progress["total"], progress["done"], progress["late"]) == (2, 0, 1)
    html = section(response.content.decode(), "roadmap-progress")
    late = html[html.index(scene.inside.late_item.title) :]
    assert "просрочено" in late[: late.index("</li>")]
    current = html[html.index(scene.inside.item.title) :]
    assert "просрочено" not in current[: current.index("</li>")]
    roadmaps = {r.title: (r.items_total, r.items_late) for r in response.context["roadmaps"]}
    assert roadmaps == {"Дорожная карта пары": (0, 0)}


def test_indicator_values_are_shown_against_baseline_and_target(world, scene, as_user):
    # A value waiting for approval does not count yet: only the approved baseline is shown.
    response = page_of(as_user(world.school), world.supported_school)
    [row] = response.context["indicator_rows"][world.program]
    assert (row.baseline.value, row.latest) == (25, None)
    assert "Учтены только утверждённые значения" in section(response.content.decode(), "indicators")
    scene.inside.measurement.status = Measurement.Status.APPROVED
    scene.inside.measurement.save()

    response = page_of(as_user(world.school), world.supported_school)
    [row] = response.context["indicator_rows"][world.program]
    assert (row.baseline.value, row.latest.value) == (25, 18)
    assert str(row.target) == "не более 10 %"
    # 18 % of twos is above the «не более 10 %» target, but lower than the baseline 25 %.
    assert (row.met, row.trend) == (False, "better")
    html = section(response.content.decode(), "indicators")
    assert "✗ не достигнуто" in html and "лучше базового" in html


def test_documents_of_the_school_are_listed_with_their_status(world, scene, as_user):
    html = page_of(as_user(world.school), world.supported_school).content.decode()
    documents = section(html, "documents")
    assert "ССП Вектор" in documents and "черновик" in documents
    assert "ССП Мегион" not in html


def test_editing_links_are_offered_only_to_those_who_may_edit(world, scene, as_user):
    school = world.supported_school
    assert "Заполнить рисковый профиль" in page_of(as_user(world.school), school).content.decode()
    assert (
        "Заполнить рисковый профиль" not in page_of(as_user(world.curator), school).content.decode()
    )


def test_an_authority_page_shows_its_record_only(world, as_user):
    response = page_of(as_user(world.region_coordinator), world.authority)
    assert "is_school" not in response.context
    assert "Рисковый профиль" not in response.content.decode()


def add_rows(world, scene, count, first=0):
    """Items the school is responsible for (half late), documents, values at new points."""
    school = world.supported_school
    roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.SCHOOL, organization=school, title="ДК школы"
    )
    for n in range(first, first + count):
        due = scene.today + datetime.timedelta(days=(n % 2) * 10 - 5)
        item = f.RoadmapItemFactory(roadmap=roadmap, due_on=due, starts_on=None)
        item.responsible.add(school)
        f.DocumentFactory(program=world.program, organization=school, title=f"Документ {n}")
        indicator = f.IndicatorFactory(program=world.program, unit=Indicator.Unit.COUNT)
        f.MeasurementFactory(
            indicator=indicator,
            point=scene.inside.point,
            organization=school,
            value=n,
            status=Measurement.Status.SUBMITTED,
        )
        f.MeasurementFactory(
            indicator=indicator, point=scene.inside.baseline, organization=school, value=1
        )
        f.TargetFactory(indicator=indicator, point=scene.inside.point, value=n)
        f.SchoolStatusFactory(school=school, year=2000 + n)


@pytest.mark.parametrize("person", ["school", "coordinator"])
def test_the_school_page_makes_the_same_queries_for_5_and_50_rows(world, scene, as_user, person):
    client = as_user(world.people[person])
    url = world.supported_school.get_absolute_url()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add_rows(world, scene, 5)
    few = queries()
    add_rows(world, scene, 45, first=5)
    assert Document.objects.filter(organization=world.supported_school).count() == 51
    assert queries() == few
