"""The program's item list shows its roadmaps by title and each roadmap's items in their order,
two roadmaps of one title each kept together — the order its indexes give (`item_in_order`,
`roadmap_by_title`) — with the same queries for 5 and 50 roadmaps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.models import Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db


def roadmap(world, title, items):
    school = f.OrganizationFactory(municipality=world.municipality)
    made = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.SCHOOL, organization=school, title=title
    )
    for order in items:
        f.RoadmapItemFactory(roadmap=made, order=order, title=f"{title} {made.pk} · {order}")
    return made


def listed(client, world):
    response = client.get(reverse("roadmaps:items", args=[world.program.pk]))
    assert response.status_code == 200
    return [row.record for row in response.context["table"].rows]


def test_roadmaps_by_title_and_each_ones_items_in_order_together(world, as_user):
    second = roadmap(world, "Б", [2, 1])
    first, twin = roadmap(world, "А", [3, 1]), roadmap(world, "А", [2, 4])
    ours = {first.pk, twin.pk, second.pk}
    rows = [item for item in listed(as_user(world.coordinator), world) if item.roadmap_id in ours]
    assert [(item.roadmap_id, item.order) for item in rows] == [
        (first.pk, 1),
        (first.pk, 3),
        (twin.pk, 2),
        (twin.pk, 4),
        (second.pk, 1),
        (second.pk, 2),
    ]


def test_the_lists_queries_do_not_grow_with_the_roadmaps(world, as_user):
    client = as_user(world.coordinator)
    counts = []
    for total in (5, 50):
        while Roadmap.objects.filter(program=world.program).count() < total:
            roadmap(world, f"ДК {Roadmap.objects.count()}", [1, 2])
        with CaptureQueriesContext(connection) as captured:
            listed(client, world)
        counts.append(len(captured))
    assert counts[0] == counts[1]
