"""Deleting many roadmap items — a roadmap's, a school's — is a set of a few statements
whatever their number, and writes what deleting each item would: its «-» history row, the change
marks of the roadmap figures, and leaves the events and questions that named it in place."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.changes import versions
from notices.models import Consultation
from roadmaps.models import Event, ItemExecution, ItemReport, RoadmapItem
from roadmaps.services import delete_items
from schools.models import RiskFactor
from tests import factories as f

pytestmark = pytest.mark.django_db


def items_of(world, count):
    """A roadmap of `count` items, each carried out by a school, reported on, named by an
    event, with a risk factor."""
    roadmap = f.RoadmapFactory(program=world.program)
    school = world.supported_school
    risk, _ = RiskFactor.objects.get_or_create(
        code="Р1", defaults={"title": "Низкая учебная мотивация", "group": "обучающиеся"}
    )
    for _ in range(count):
        item = f.RoadmapItemFactory(roadmap=roadmap)
        f.ItemExecutionFactory(item=item, organization=school)
        ItemReport.objects.create(item=item, organization=school, text="Сделано", status="done")
        f.EventFactory(program=world.program, item=item)
        item.risk_factors.add(risk)
    return roadmap


def outcome(world, roadmap, delete):
    """What deleting the roadmap's items left behind: history rows of the deletion, the kinds
    of figures marked changed, and what still points at the items."""
    ids = list(roadmap.items.values_list("pk", flat=True))
    before = versions(world.program.pk)
    delete(RoadmapItem.objects.filter(roadmap=roadmap))
    after = versions(world.program.pk)
    history = RoadmapItem.history.filter(id__in=ids, history_type="-")
    return {
        "left": RoadmapItem.objects.filter(pk__in=ids).count(),
        "history": sorted(history.values_list("id", "title", "roadmap_id")),
        "history_count": history.count(),
        "marked": {kind for kind in after if after[kind] != before[kind]},
        "executions": ItemExecution.objects.filter(item__in=ids).count(),
        "reports": ItemReport.objects.filter(item__in=ids).count(),
        "events_kept": Event.objects.filter(item__isnull=True, program=world.program).count(),
        "ids": ids,
    }


def one_by_one(queryset):
    for item in queryset:
        item.delete()


def test_a_set_delete_writes_what_deleting_each_item_wrote(world, superuser):
    by_row = outcome(world, items_of(world, 3), one_by_one)
    Event.objects.all().delete()
    in_sets = outcome(
        world, items_of(world, 3), lambda q: delete_items(q, superuser, reason="Ошибочный план")
    )
    assert in_sets["left"] == by_row["left"] == 0
    assert in_sets["history_count"] == by_row["history_count"] == 3
    assert in_sets["marked"] == by_row["marked"] and "roadmap" in in_sets["marked"]
    assert in_sets["executions"] == by_row["executions"] == 0
    assert in_sets["reports"] == by_row["reports"] == 0
    assert in_sets["events_kept"] == by_row["events_kept"] == 3
    history = RoadmapItem.history.filter(id__in=in_sets["ids"], history_type="-")
    assert set(history.values_list("history_user", "history_change_reason")) == {
        (superuser.pk, "Ошибочный план")
    }


def deleting(world, superuser, count):
    roadmap = items_of(world, count)
    question = Consultation.objects.create(
        program=world.program, item=roadmap.items.first(), topic="Срок", question="Когда?"
    )
    with CaptureQueriesContext(connection) as captured:
        deleted = delete_items(roadmap.items.all(), superuser)
    assert deleted == count
    # The question stays, without the item.
    assert Consultation.objects.get(pk=question.pk).item_id is None
    return len(captured)


def test_deleting_items_takes_the_same_statements_for_5_and_50_items(world, superuser):
    assert deleting(world, superuser, 5) == deleting(world, superuser, 50)


def test_the_admin_deletes_selected_items_and_a_roadmap_as_sets(world, superuser, as_user):
    roadmap = items_of(world, 4)
    kept = f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program))
    chosen = list(roadmap.items.values_list("pk", flat=True))
    client = as_user(superuser)
    response = client.post(
        reverse("admin:roadmaps_roadmapitem_changelist"),
        {"action": "delete_selected", "_selected_action": chosen[:2], "post": "yes"},
    )
    assert response.status_code == 302
    assert RoadmapItem.objects.filter(pk__in=chosen).count() == 2
    response = client.post(
        reverse("admin:roadmaps_roadmap_delete", args=[roadmap.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoadmapItem.objects.filter(pk__in=chosen).exists()
    assert RoadmapItem.objects.filter(pk=kept.pk).exists()
    assert RoadmapItem.history.filter(history_type="-", id__in=chosen).count() == 4
