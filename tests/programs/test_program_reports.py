"""The program page offers every report of the program in one list: its own, the note of each
monitoring point, the execution of each of its own roadmaps; school and pair roadmaps, of which
a national program has thousands, are counted and found through the roadmaps list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.links import PROGRAM_ROADMAPS_LISTED
from roadmaps.models import Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db


def report_url(slug, subject):
    return reverse("reports:report", args=[slug, subject.pk])


def reports_section(response):
    html = response.content.decode()
    start = html.index('id="reports"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def program_parts(world):
    program = world.program
    own = f.RoadmapFactory(program=program, title="Дорожная карта проекта «Вектор»")
    school_roadmap = f.RoadmapFactory(
        program=program,
        level=Roadmap.Level.SCHOOL,
        organization=world.curator_school,
        title="Дорожная карта школы-куратора",
    )
    point = f.MonitoringPointFactory(program=program, title="Весенний мониторинг")
    return own, school_roadmap, point


def test_the_program_page_lists_every_report_of_the_program(world, as_user, program_parts):
    own, school_roadmap, point = program_parts
    section = reports_section(as_user(world.coordinator).get(world.program.get_absolute_url()))
    for slug in ("passport", "half-year", "events"):
        assert f'href="{report_url(slug, world.program)}' in section
        assert reverse("reports:report_pdf", args=[slug, world.program.pk]) in section
    assert f'href="{report_url("note", point)}"' in section
    assert "Аналитическая справка: Весенний мониторинг" in section
    assert f'href="{report_url("roadmap", own)}"' in section
    assert "Исполнение дорожной карты: Дорожная карта проекта «Вектор»" in section
    # A school's roadmap is reported on from its own page; the list says where to find it.
    assert report_url("roadmap", school_roadmap) not in section
    assert "Отчёт об исполнении дорожной карты школы или пары (1)" in section
    assert reverse("roadmaps:items", args=[world.program.pk]) in section


def test_the_school_is_not_told_of_roadmaps_it_does_not_see(world, as_user, program_parts):
    section = reports_section(as_user(world.school).get(world.program.get_absolute_url()))
    assert "дорожной карты школы или пары" not in section


def test_a_program_with_many_roadmaps_lists_a_bounded_number(world, as_user):
    for n in range(PROGRAM_ROADMAPS_LISTED + 1):
        f.RoadmapFactory(program=world.program, title=f"Дорожная карта {n:02}")
    response = as_user(world.coordinator).get(world.program.get_absolute_url())
    section = reports_section(response)
    listed = section.count('class="me-auto">Исполнение дорожной карты: Дорожная карта')
    assert listed == PROGRAM_ROADMAPS_LISTED
    assert "отчёт любой дорожной карты — на её странице" in section


def test_the_reports_list_costs_the_same_queries_for_few_and_many_school_roadmaps(world, as_user):
    client = as_user(world.coordinator)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(world.program.get_absolute_url())
        return len(captured)

    def add_school_roadmaps(count):
        for _ in range(count):
            school = f.OrganizationFactory(municipality=world.municipality)
            f.RoadmapFactory(program=world.program, level=Roadmap.Level.SCHOOL, organization=school)

    add_school_roadmaps(2)
    few = queries()
    add_school_roadmaps(20)
    assert queries() == few
