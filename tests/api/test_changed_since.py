"""«Changed since» on the read API's lists of programs, roadmap items, events, indicators and
monitoring points: a row changed since the moment asked is listed, an unchanged one is not,
whether it changed through `save()` or through a bulk write that sets the stamp itself."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.utils import timezone

from core.ordering import renumber
from monitoring.models import Indicator, MonitoringPoint
from programs.models import Program
from roadmaps.models import Event, RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
LONG_AGO = timezone.now() - datetime.timedelta(days=30)


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


@pytest.fixture
def rows(world):
    """Two of each kind in the coordinator's program, all last changed a month ago."""
    roadmap = f.RoadmapFactory(program=world.program)
    made = {
        "programs": [world.program, f.ProgramFactory(owner=world.authority)],
        "items": [f.RoadmapItemFactory(roadmap=roadmap) for _ in range(2)],
        "events": [f.EventFactory(program=world.program) for _ in range(2)],
        "indicators": [f.IndicatorFactory(program=world.program) for _ in range(2)],
        "points": [f.MonitoringPointFactory(program=world.program) for _ in range(2)],
    }
    for model in (Program, RoadmapItem, Event, Indicator, MonitoringPoint):
        model.objects.update(updated_at=LONG_AGO)
    return made


def since():
    return (timezone.now() - datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("endpoint", ["programs", "items", "events", "indicators", "points"])
def test_a_changed_row_is_listed_an_unchanged_one_is_not(world, bearer, rows, endpoint):
    client = bearer(world.coordinator)
    everything = ids(client.get(f"{V1}/{endpoint}"))
    changed, unchanged = rows[endpoint]
    assert {changed.pk, unchanged.pk} <= everything
    assert ids(client.get(f"{V1}/{endpoint}", {"changed_since": since()})) == set()
    changed.refresh_from_db()
    changed.save()
    listed = client.get(f"{V1}/{endpoint}", {"changed_since": since()})
    assert ids(listed) == {changed.pk}
    row = listed.json()["items"][0]
    assert datetime.datetime.fromisoformat(row["updated_at"]) > LONG_AGO
    # A date alone is the midnight of that day; a month ago takes both.
    month = (LONG_AGO - datetime.timedelta(days=1)).date().isoformat()
    assert {changed.pk, unchanged.pk} <= ids(
        client.get(f"{V1}/{endpoint}", {"changed_since": month})
    )


@pytest.mark.parametrize("endpoint", ["programs", "items", "events", "indicators", "points"])
@pytest.mark.parametrize("wrong", ["вчера", "2024-13-45", "31.05.2024"])
def test_a_wrong_moment_is_refused_in_russian(world, bearer, endpoint, wrong):
    response = bearer(world.coordinator).get(f"{V1}/{endpoint}", {"changed_since": wrong})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("changed_since: дата или момент в формате ISO")


def test_events_since_names_its_own_parameter(world, bearer):
    response = bearer(world.coordinator).get(f"{V1}/events", {"since": "завтра"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("since: ")


def test_a_new_order_of_items_is_a_change(world, bearer, rows):
    first, second = rows["items"]
    queryset = RoadmapItem.objects.filter(pk__in=[first.pk, second.pk])
    renumber(queryset, [second.pk, first.pk])
    client = bearer(world.coordinator)
    assert ids(client.get(f"{V1}/items", {"changed_since": since()})) == {first.pk, second.pk}


def test_closing_points_in_the_admin_is_a_change(world, bearer, rows, superuser):
    closed, still_open = rows["points"]
    admin = site._registry[MonitoringPoint]
    request = RequestFactory().post("/")
    request.user = superuser
    # The action's message goes to the request's own storage: the admin is shared by every test.
    request.session = {}
    request._messages = FallbackStorage(request)
    admin.close_entry(request, MonitoringPoint.objects.filter(pk=closed.pk))
    client = bearer(world.coordinator)
    assert ids(client.get(f"{V1}/points", {"changed_since": since()})) == {closed.pk}
