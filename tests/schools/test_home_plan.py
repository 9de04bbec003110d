"""The home plans the day for each role: this week (items due, events ahead), what waits for me
(approvals across schools, questions, sheets), what is late grouped by roadmap and capped, and a
curator's month of the pair."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config import home as plan
from monitoring.models import Measurement
from notices.models import Consultation
from programs.models import Participant
from roadmaps.models import Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_the_week_holds_items_due_in_seven_days_and_events_of_two_weeks(scene, world, as_user):
    roadmap = scene.inside.roadmap
    soon = f.RoadmapItemFactory(roadmap=roadmap, due_on=scene.today + datetime.timedelta(days=6))
    later = f.RoadmapItemFactory(roadmap=roadmap, due_on=scene.today + datetime.timedelta(days=8))
    for item in (soon, later):
        item.responsible.add(world.supported_school)
    now = timezone.now()
    ahead = f.EventFactory(program=world.program, starts_at=now + datetime.timedelta(days=10))
    f.EventFactory(program=world.program, starts_at=now + datetime.timedelta(days=20))
    f.EventFactory(program=world.program, starts_at=now - datetime.timedelta(days=1))
    # An event of a program the school does not take part in is not its to see.
    f.EventFactory(program=scene.outside.point.program, starts_at=now + datetime.timedelta(1))
    week = home(as_user(world.school)).context["week"]
    assert soon in week["items"] and later not in week["items"]
    assert list(week["events"]) == [ahead]


def test_approvals_wait_across_schools_one_row_per_point(scene, world, as_user):
    other = f.OrganizationFactory(municipality=world.municipality, short_name="МБОУ «Вторая СОШ»")
    f.ParticipantFactory(program=world.program, organization=other, role=Participant.Role.SUPPORTED)
    f.MeasurementFactory(
        indicator=scene.inside.count,
        point=scene.inside.point,
        organization=other,
        value=3,
        status=Measurement.Status.SUBMITTED,
    )
    response = home(as_user(world.coordinator))
    [row] = response.context["waiting"]["approvals"]
    assert (row["point"], row["schools"], row["values"]) == (scene.inside.point.pk, 2, 2)
    html = response.content.decode()
    assert "2 школы, 2 значения" in html
    # The school whose values they are has nothing to approve.
    assert home(as_user(world.school)).context["waiting"]["approvals"] == []


def test_questions_wait_for_those_who_answer_them(scene, world, as_user):
    question = Consultation.objects.create(
        program=world.program,
        organization=world.supported_school,
        asked_by=world.school,
        topic="Как считать долю педагогов",
        question="Считать ли совместителей?",
    )
    waiting = home(as_user(world.coordinator)).context["waiting"]
    assert list(waiting["questions"]) == [question]
    assert home(as_user(world.school)).context["waiting"]["questions_count"] == 0
    assert home(as_user(world.outsider)).context["waiting"]["questions_count"] == 0


def test_late_items_are_grouped_by_roadmap_most_first_and_capped(scene, world, as_user):
    before = home(as_user(world.coordinator)).context["late_count"]
    for n in range(plan.LATE_ROADMAPS + 2):
        roadmap = f.RoadmapFactory(
            program=world.program, level=Roadmap.Level.PROGRAM, title=f"Карта {n}"
        )
        for _ in range(n + 1):
            f.RoadmapItemFactory(roadmap=roadmap, due_on=scene.today - datetime.timedelta(2))
    response = home(as_user(world.coordinator))
    groups = response.context["late_groups"]
    assert len(groups) == plan.LATE_ROADMAPS
    assert [g.roadmap.title for g in groups[:2]] == ["Карта 6", "Карта 5"]
    assert all(len(g.items) <= plan.LATE_ITEMS_PER_ROADMAP for g in groups)
    # Everything is counted, including the roadmaps left out, and each group links to all.
    assert response.context["late_count"] == before + sum(range(1, plan.LATE_ROADMAPS + 3))
    assert groups[0].url == reverse("roadmaps:roadmap", args=[groups[0].roadmap.pk]) + "?late=on"
    assert f'href="{groups[0].url}"' in response.content.decode()


def test_the_curator_sees_the_month_of_the_pair(scene, world, as_user):
    roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.PAIR, pair=world.pair, title="Карта пары"
    )
    month_item = f.RoadmapItemFactory(
        roadmap=roadmap, due_on=scene.today + datetime.timedelta(days=20)
    )
    f.RoadmapItemFactory(roadmap=roadmap, due_on=scene.today + datetime.timedelta(days=40))
    event = f.EventFactory(
        program=world.program, starts_at=timezone.now() + datetime.timedelta(days=25)
    )
    event.invited.add(world.supported_school)
    f.EventFactory(program=world.program, starts_at=timezone.now() + datetime.timedelta(days=3))
    response = home(as_user(world.curator))
    [month] = response.context["pair_months"]
    assert month.pair == world.pair
    assert month_item in month.items
    assert all(item.due_on <= month.last for item in month.items)
    assert month.events == [event]
    assert f'id="home-pair-month-{world.pair.pk}"' in response.content.decode()
    # Nobody but a curator has a pair's month.
    for person in ("school", "coordinator", "outsider"):
        assert home(as_user(world.people[person])).context["pair_months"] == []
