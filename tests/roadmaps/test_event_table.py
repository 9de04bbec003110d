"""The events list names the roadmap item an event belongs to."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_events_list_shows_the_item_by_its_title(world, as_user):
    item = f.RoadmapItemFactory(
        roadmap=f.RoadmapFactory(program=world.program),
        number="3",
        title="Методический аудит школ с низкими результатами",
    )
    f.EventFactory(program=world.program, item=item, title="Аудит")
    url = reverse("roadmaps:events", args=[world.program.pk])
    response = as_user(world.coordinator).get(url)
    row = next(iter(response.context["table"].rows))
    assert row.get_cell("item") == "Методический аудит школ с низкими результатами"
    export = response.context["table"].as_values()
    assert list(export)[1][5] == "Методический аудит школ с низкими результатами"
