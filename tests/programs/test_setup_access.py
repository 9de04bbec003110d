"""The access rule on every page of the department staff, for each of the named people:
anonymous → sign-in, outside their reach → 404, seen but not theirs → 403, allowed → 200."""

import pytest
from django.urls import reverse

from monitoring.models import Indicator
from programs.models import Program
from roadmaps.models import Event, Roadmap, RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(world):
    roadmap = f.RoadmapFactory(program=world.program)
    point = f.MonitoringPointFactory(program=world.program)
    return {
        "program": world.program.pk,
        "pair": world.pair.pk,
        "roadmap": roadmap.pk,
        "item": f.RoadmapItemFactory(roadmap=roadmap).pk,
        "event": f.EventFactory(program=world.program).pk,
        "point": point.pk,
        "indicator": f.IndicatorFactory(program=world.program).pk,
        "agreement": f.AgreementFactory(pair=world.pair).pk,
        "participant": world.program.participants.first().pk,
    }


# Pages that only the program's coordinators may open: (url name, the thing in the url).
SET_UP = [
    ("programs:setup", "program"),
    ("programs:setup_participants", "program"),
    ("programs:setup_pairs", "program"),
    ("programs:setup_pair", "pair"),
    ("roadmaps:setup", "program"),
    ("roadmaps:setup_roadmap", "roadmap"),
    ("roadmaps:item_edit", "item"),
    ("roadmaps:event_create", "program"),
    ("roadmaps:event_edit", "event"),
    ("roadmaps:attendance", "event"),
    ("monitoring:setup_points", "program"),
    ("monitoring:point_edit", "point"),
    ("monitoring:setup_indicators", "program"),
    ("monitoring:indicator_edit", "indicator"),
    ("monitoring:import_values", "program"),
]

# Actions (POST only) of the same people; a refused one must change nothing.
ACTIONS = [
    ("programs:participant_remove", "participant"),
    ("programs:pair_delete", "pair"),
    ("roadmaps:item_delete", "item"),
    ("roadmaps:item_move", "item"),
    ("roadmaps:reorder", "roadmap"),
    ("roadmaps:event_delete", "event"),
    ("monitoring:point_delete", "point"),
    ("monitoring:indicator_delete", "indicator"),
    ("monitoring:standard_indicators", "program"),
    ("monitoring:import_values_confirm", "program"),
]


def statuses(world, as_user, url, method="get"):
    return {
        name: getattr(as_user(user), method)(url).status_code for name, user in world.people.items()
    }


@pytest.mark.parametrize(("name", "thing"), SET_UP)
def test_a_refused_post_to_a_setup_page_changes_nothing(world, things, as_user, name, thing):
    url = reverse(name, args=[things[thing]])
    before = _snapshot()
    refused = {
        person: as_user(world.people[person]).post(url, {"title": "Чужое"}).status_code
        for person in ("other_coordinator", "outsider", "curator", "school")
    }
    assert refused == {"other_coordinator": 404, "outsider": 404, "curator": 403, "school": 403}
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "thing"), ACTIONS)
def test_actions_refuse_those_who_may_not_set_up(world, things, as_user, name, thing):
    url = reverse(name, args=[things[thing]])
    before = _snapshot()
    refused = {
        person: as_user(world.people[person]).post(url, {"direction": "up"}).status_code
        for person in ("other_coordinator", "outsider", "curator", "school")
    }
    assert refused == {"other_coordinator": 404, "outsider": 404, "curator": 403, "school": 403}
    assert as_user(world.coordinator).get(url).status_code == 405
    assert _snapshot() == before


def _snapshot():
    return (
        Program.objects.count(),
        Roadmap.objects.count(),
        list(RoadmapItem.objects.values_list("pk", "order", "title")),
        list(Event.objects.values_list("pk", "title")),
        Indicator.objects.count(),
        world_counts(),
    )


def world_counts():
    from monitoring.models import MonitoringPoint
    from programs.models import CuratorPair, Participant

    return (
        MonitoringPoint.objects.count(),
        CuratorPair.objects.count(),
        Participant.objects.count(),
    )


def test_only_coordinators_may_create_a_program(world, as_user):
    url = reverse("programs:create")
    assert statuses(world, as_user, url) == {
        "coordinator": 200,
        "region": 200,
        "other_coordinator": 200,
        "outsider": 403,
        "curator": 403,
        "school": 403,
    }


def test_lists_and_the_calendar_follow_the_programs_visibility(world, as_user):
    for name in ("roadmaps:events", "roadmaps:calendar", "roadmaps:items"):
        url = reverse(name, args=[world.program.pk])
        assert statuses(world, as_user, url) == {
            "coordinator": 200,
            "region": 200,
            "other_coordinator": 404,
            "outsider": 404,
            "curator": 200,
            "school": 200,
        }


def test_a_curator_sets_up_the_items_of_their_pairs_roadmap_but_no_other(world, as_user):
    pair_roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.PAIR, pair=world.pair
    )
    program_roadmap = f.RoadmapFactory(program=world.program)
    client = as_user(world.curator)
    assert client.get(reverse("roadmaps:setup_roadmap", args=[pair_roadmap.pk])).status_code == 200
    assert (
        client.get(reverse("roadmaps:setup_roadmap", args=[program_roadmap.pk])).status_code == 403
    )


def test_the_agreement_file_is_given_to_those_who_see_the_pair(world, as_user, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    agreement = f.AgreementFactory(pair=world.pair)
    agreement.file.save("соглашение.pdf", ContentFile(b"%PDF-1.4 test"))
    url = reverse("programs:agreement_file", args=[agreement.pk])
    response = as_user(world.curator).get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment")
    got = {name: as_user(user).get(url).status_code for name, user in world.people.items()}
    assert got == {
        "coordinator": 200,
        "region": 200,
        "curator": 200,
        "school": 200,
        "other_coordinator": 404,
        "outsider": 404,
    }


def test_school_import_is_for_coordinators_of_a_territory(world, as_user):
    url = reverse("schools:import")
    assert statuses(world, as_user, url) == {
        "coordinator": 200,
        "region": 200,
        "other_coordinator": 200,
        "outsider": 403,
        "curator": 403,
        "school": 403,
    }


def test_the_territory_page_is_for_staff_of_authorities(world, as_user):
    url = reverse("dashboards:territory")
    got = statuses(world, as_user, url)
    assert got == {
        "coordinator": 200,
        "region": 200,
        "other_coordinator": 200,
        "outsider": 403,
        "curator": 403,
        "school": 403,
    }


def test_a_municipalitys_staff_see_a_regional_program_narrowed_to_their_municipality(
    world, as_user
):
    regional = f.ProgramFactory(
        owner=world.ministry, level=Program.Level.REGIONAL, municipality=None
    )
    f.ParticipantFactory(program=regional, organization=world.outsider_school)
    client = as_user(world.other_coordinator)
    response = client.get(reverse("dashboards:dashboard", args=[regional.pk]))
    assert response.status_code == 200
    assert response.context["scope"].municipality == world.other_municipality
    # Another municipality of the region is not theirs to look at.
    other = client.get(
        reverse("dashboards:dashboard", args=[regional.pk]),
        {"municipality": world.municipality.pk},
    )
    assert other.status_code == 403
