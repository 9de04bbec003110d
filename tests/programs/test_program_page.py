"""The program's read view: passport, participants and pairs, roadmaps with progress, events,
indicators with their targets, monitoring points, documents; a place for the links to the
dashboard, reports and events pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import Participant
from roadmaps.models import Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db


def section(html, anchor):
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


def test_the_program_page_shows_every_part_of_the_program(scene, world, as_user):
    program = world.program
    program.goal = "Повышение качества образования"
    program.order_number, program.order_date = "1030", datetime.date(2022, 12, 30)
    program.save()
    f.EventFactory(program=program, title="Семинар для кураторов")
    f.EventFactory(
        program=program,
        title="Прошедший вебинар",
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    html = as_user(world.school).get(program.get_absolute_url()).content.decode()
    assert "приказ № 1030 от 30.12.2022" in section(html, "passport")
    assert "Повышение качества образования" in section(html, "passport")
    participants = section(html, "participants")
    assert "МБОУ «Русскинская СОШ»" in participants and "Ирина Петрова" in participants
    roadmaps = section(html, "roadmaps")
    assert "Дорожная карта Вектор" in roadmaps and "Дорожная карта пары" in roadmaps
    events = section(html, "events")
    assert "Семинар для кураторов" in events and "Прошедший вебинар" not in events
    indicators = section(html, "indicators")
    assert "не более 10 %" in indicators and "вычисляется" in indicators
    assert "Мониторинг Вектор" in section(html, "points")
    assert "ССП Вектор" in section(html, "documents")
    assert 'id="program-links"' in html


def test_roadmap_progress_is_counted_per_roadmap(scene, world, as_user):
    response = as_user(world.coordinator).get(world.program.get_absolute_url())
    progress = {
        r.title: (r.items_total, r.items_done, r.items_late) for r in response.context["roadmaps"]
    }
    assert progress["Дорожная карта Вектор"] == (2, 0, 1)


def test_the_program_page_makes_the_same_queries_for_5_and_50_schools(scene, world, as_user):
    client = as_user(world.coordinator)

    def grow(count, first):
        for n in range(first, first + count):
            school = f.OrganizationFactory(municipality=world.municipality)
            f.ParticipantFactory(
                program=world.program, organization=school, role=Participant.Role.SUPPORTED
            )
            pair = f.CuratorPairFactory(program=world.program, supported_school=school)
            f.CuratorFactory(pair=pair)
            f.DocumentFactory(program=world.program, organization=school)
            indicator = f.IndicatorFactory(program=world.program, code=f"x{n}")
            f.TargetFactory(indicator=indicator, point=scene.inside.point, organization=None)
            f.RoadmapFactory(program=world.program, title=f"ДК {n}")
            f.RoadmapFactory(
                program=world.program, level=Roadmap.Level.PAIR, pair=pair, title=f"ДК пары {n}"
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(world.program.get_absolute_url()).status_code == 200
        return len(captured)

    grow(5, 0)
    few = queries()
    grow(45, 5)
    assert queries() == few
