# ruff: noqa: F811  (the `program` fixture is imported from test_dashboard)
"""The dashboard's figures are computed once and kept until the data under them changes: a
second visit reads them from the cache, and every kind of write shows on the next visit."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import DataChange
from expertise.models import PassThreshold
from roadmaps.models import Attendance, Roadmap, RoadmapItem
from schools.models import RiskFactor, RiskLevel, RiskProfile
from tests import factories as f

from .test_dashboard import grow, program  # noqa: F401

pytestmark = pytest.mark.django_db


def visit(client, program):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    assert response.status_code == 200
    return response.context, len(captured)


def test_a_second_visit_reads_the_figures_from_the_cache(world, program, as_user):
    grow(world, 3)
    client = as_user(world.coordinator)
    cold, cold_queries = visit(client, program)
    warm, warm_queries = visit(client, program)
    assert warm["roadmap"]["totals"] == cold["roadmap"]["totals"]
    assert [r.value for r in warm["effectiveness"]] == [r.value for r in cold["effectiveness"]]
    # Only the version, the next event, the page's own access checks and the charts remain.
    assert warm_queries < cold_queries - 5


def test_an_item_saved_shows_on_the_next_visit(world, program, as_user):
    grow(world, 2)
    client = as_user(world.coordinator)
    before, _ = visit(client, program)
    item = RoadmapItem.objects.filter(status="planned").first()
    item.status, item.completed_on = RoadmapItem.Status.DONE, datetime.date(2023, 1, 20)
    item.save()
    after, _ = visit(client, program)
    assert after["roadmap"]["totals"]["done"] == before["roadmap"]["totals"]["done"] + 1


def test_attendance_written_in_bulk_shows_on_the_next_visit(world, program, as_user):
    client = as_user(world.coordinator)
    event = program.events.get()
    event.invited.add(world.supported_school)
    before, _ = visit(client, program)
    address = reverse("roadmaps:attendance", args=[event.pk])
    form = client.get(address).context["formset"]
    data = {"attendance-TOTAL_FORMS": len(form.forms), "attendance-INITIAL_FORMS": 0}
    for n, row in enumerate(form.forms):
        data[f"attendance-{n}-organization"] = row.initial["organization"]
        data[f"attendance-{n}-present"] = "on"
        data[f"attendance-{n}-people_count"] = "2"
    client.post(address, data)
    assert Attendance.objects.filter(event=event).exists()
    after, _ = visit(client, program)
    share = {r.indicator.method: r.numerator for r in after["effectiveness"]}
    was = {r.indicator.method: r.numerator for r in before["effectiveness"]}
    assert share["attendance_share"] == was["attendance_share"] + 1


def test_an_event_that_starts_changes_the_figures_without_any_write(world, program, as_user):
    client = as_user(world.coordinator)
    coming = f.EventFactory(
        program=program,
        organizer=world.authority,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    )
    visit(client, program)
    key_parts = []
    # The moment the next event starts is part of the key: once it has started, the key differs.
    from dashboards import cache as figures_cache

    original = figures_cache.cache.get

    def spy(key, *args, **kwargs):
        key_parts.append(key)
        return original(key, *args, **kwargs)

    figures_cache.cache.get = spy
    try:
        visit(client, program)
        type(coming).objects.filter(pk=coming.pk).update(
            starts_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        visit(client, program)
    finally:
        figures_cache.cache.get = original
    assert key_parts[0] != key_parts[1]


def test_marks_are_pruned_to_the_latest_of_each_program(world, program):
    for _ in range(3):
        f.ModuleFactory(program=program)
    assert DataChange.objects.filter(key=f"program:{program.pk}").count() > 1
    DataChange.prune()
    assert DataChange.objects.filter(key=f"program:{program.pk}").count() == 1


def test_a_risk_profile_assessed_shows_in_the_expertise_figures_on_the_next_visit(
    world, program, as_user
):
    client = as_user(world.coordinator)
    before, _ = visit(client, program)
    factor = RiskFactor.objects.create(code="9.1", title="Дефицит кадров", group="Кадры")
    profile = RiskProfile.objects.create(
        school=world.supported_school, assessed_on=datetime.date(2023, 2, 1)
    )
    RiskLevel.objects.create(profile=profile, factor=factor, level=RiskLevel.Level.HIGH)
    after, _ = visit(client, program)
    assert after["expertise"]["trace"]["assessed"] == before["expertise"]["trace"]["assessed"] + 1
    flags = dict(after["expertise"]["trace"]["totals"])
    assert (
        flags["высокий риск без мер"]
        == dict(before["expertise"]["trace"]["totals"])["высокий риск без мер"] + 1
    )

    # A measure against the factor, named on an item afterwards (a many-to-many change).
    item = f.RoadmapItemFactory(
        roadmap=f.RoadmapFactory(
            program=program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
        )
    )
    visit(client, program)
    item.risk_factors.add(factor)
    addressed, _ = visit(client, program)
    assert dict(addressed["expertise"]["trace"]["totals"])["высокий риск без мер"] == (
        flags["высокий риск без мер"] - 1
    )


def test_a_pass_threshold_set_shows_on_the_next_visit(world, program, as_user):
    client = as_user(world.coordinator)
    before, _ = visit(client, program)
    assert not before["expertise"]["shares"]["kinds"]
    PassThreshold.objects.create(program=program, kind="", share=80)
    after, _ = visit(client, program)
    assert [row.label for row in after["expertise"]["shares"]["kinds"]] == [
        "концептуальные документы"
    ]


def test_housekeeping_prunes_the_marks_and_the_figures_stay_right(world, program, as_user):
    client = as_user(world.coordinator)
    for _ in range(3):
        f.ModuleFactory(program=program)
    before, _ = visit(client, program)
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "Удалено устаревших отметок изменений:" in out.getvalue()
    assert DataChange.objects.filter(key=f"program:{program.pk}").count() == 1
    # The latest mark is kept, so the next write still makes a new version.
    f.RoadmapItemFactory(
        roadmap=f.RoadmapFactory(
            program=program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
        )
    )
    after, _ = visit(client, program)
    assert after["roadmap"]["totals"]["total"] == before["roadmap"]["totals"]["total"] + 1
