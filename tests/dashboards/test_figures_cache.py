# ruff: noqa: F811  (the `program` fixture is imported from test_dashboard)
"""The dashboard's figures are computed once and kept until the data under them changes: a
second visit reads them from the cache, and every kind of write shows on the next visit."""

import contextlib
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.changes import WHOLE, part_kind, versions, written_since
from core.middleware import DataWrittenMiddleware
from core.models import DataChange
from dashboards import cache as figures_cache
from dashboards import views as dashboard_views
from expertise.models import PassThreshold
from monitoring.models import Measurement
from roadmaps.models import Attendance, Roadmap, RoadmapItem
from schools.models import RiskFactor, RiskLevel, RiskProfile
from tests import factories as f

from .test_dashboard import grow, program  # noqa: F401


@contextlib.contextmanager
def computed():
    """The kinds of figure computed (not read from the cache) inside the block, in order."""
    kinds = []
    original = figures_cache._compute

    def spy(kind, *args, **kwargs):
        kinds.append(kind)
        return original(kind, *args, **kwargs)

    figures_cache._compute = spy
    try:
        yield kinds
    finally:
        figures_cache._compute = original


pytestmark = pytest.mark.django_db


def point_versions(program, territory=WHOLE):
    """The versions of the program's figures in a territory, each point's part included."""
    return versions(program.pk, territory, list(program.points.values_list("pk", flat=True)))


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
    # The moment the next event starts is part of the effectiveness figures' key: once it has
    # started, they are computed again, with no write at all.
    with computed() as kinds:
        visit(client, program)
        assert kinds == []
        type(coming).objects.filter(pk=coming.pk).update(
            starts_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        visit(client, program)
    assert kinds == ["effectiveness"]


def test_marks_are_pruned_to_the_latest_of_each_program(world, program):
    for _ in range(3):
        f.ModuleFactory(program=program)
    # A module is read by the roadmap's figures only.
    assert DataChange.objects.filter(key=f"program:{program.pk}:roadmap").count() > 1
    DataChange.prune()
    assert DataChange.objects.filter(key=f"program:{program.pk}:roadmap").count() == 1


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
    assert DataChange.objects.filter(key=f"program:{program.pk}:roadmap").count() == 1
    # The latest mark is kept, so the next write still makes a new version.
    f.RoadmapItemFactory(
        roadmap=f.RoadmapFactory(
            program=program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
        )
    )
    after, _ = visit(client, program)
    assert after["roadmap"]["totals"]["total"] == before["roadmap"]["totals"]["total"] + 1


def test_a_value_saved_recomputes_only_the_value_figures_and_only_of_its_territories(
    world, program, as_user
):
    grow(world, 2)
    client = as_user(world.coordinator)
    before, _ = visit(client, program)
    value = Measurement.objects.filter(organization__municipality=world.municipality).first()
    other = point_versions(program, f"m{world.other_municipality.pk}")
    here = point_versions(program, f"m{world.municipality.pk}")
    whole = point_versions(program)
    value.value += 1
    value.save()
    # The marks reach the whole program and the school's own territories, not the others.
    assert point_versions(program, f"m{world.other_municipality.pk}") == other
    for now, was in (
        (point_versions(program, f"m{world.municipality.pk}"), here),
        (point_versions(program), whole),
    ):
        changed = {kind for kind in now if now[kind] != was[kind]}
        # The completeness of the value's own point only.
        assert changed == {"indicators", part_kind("completeness", value.point_id)}
    with computed() as kinds:
        after, _ = visit(client, program)
    assert sorted(kinds) == ["completeness", "indicators"]
    assert after["roadmap"]["totals"] == before["roadmap"]["totals"]


def spring_average(context, indicator):
    row = next(r for r in context["indicators"]["rows"] if r.indicator == indicator)
    return row.latest


def test_others_see_the_last_figures_with_their_time_while_one_recomputes_but_the_saver_never(
    world, program, as_user, monkeypatch
):
    grow(world, 2)
    saver, other = as_user(world.coordinator), as_user(world.coordinator)
    before, _ = visit(other, program)
    value = Measurement.objects.filter(point=program.points.order_by("date").last()).first()
    indicator = value.indicator
    old = spring_average(before, indicator)
    # The saver's own request wrote the marks; the session keeps the latest (as the middleware
    # does for a request that saves).
    with written_since() as written:
        value.value += 30
        value.save()
    session = saver.session
    session[DataWrittenMiddleware.SESSION_KEY] = written.latest
    session.save()
    # Another process is computing the program's indicators.
    place = f"{program.pk}:{before['scope'].query() or 'whole'}"
    assert cache.add(f"figures-lock:{place}:indicators", 1, 60)
    monkeypatch.setattr(figures_cache, "FIGURES_WAIT_SECONDS", 0.2)
    try:
        stale = other.get(reverse("dashboards:dashboard", args=[program.pk]))
        assert spring_average(stale.context, indicator) == old
        # The time of the last computation, on the program region's clock.
        computed_at = timezone.localtime(
            cache.get(f"figures-last:{place}:indicators")[1], ZoneInfo(program.timezone_name)
        )
        assert stale.context["as_of"] == f"{computed_at:%H:%M}"
        assert f"по состоянию на {computed_at:%H:%M}" in stale.content.decode()
        fresh, _ = visit(saver, program)
        assert spring_average(fresh, indicator) != old
        assert fresh["as_of"] is None
    finally:
        cache.delete(f"figures-lock:{place}:indicators")
    # Once the computation is done, everyone sees the new figures.
    current, _ = visit(other, program)
    assert spring_average(current, indicator) == spring_average(fresh, indicator)
    assert current["as_of"] is None


def test_a_request_that_writes_leaves_its_latest_mark_in_the_session(world, program, as_user):
    client = as_user(world.coordinator)
    latest_before = DataChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    item = f.RoadmapItemFactory(
        roadmap=f.RoadmapFactory(
            program=program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
        )
    )
    assert client.session.get(DataWrittenMiddleware.SESSION_KEY) is None
    response = client.post(reverse("roadmaps:item_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()
    written = client.session.get(DataWrittenMiddleware.SESSION_KEY)
    assert written is not None and written > latest_before
    assert written == DataChange.objects.order_by("-id").values_list("id", flat=True).first()


def changed_kinds(program, territory, was):
    now = point_versions(program, territory)
    return {kind for kind in now if now[kind] != was[kind]}


def test_a_value_marks_only_the_figures_its_states_feed(world, program, as_user):
    """A draft saved over a draft changes no figure (the indicators count approved values,
    the completeness sent ones): most saves of a deadline week recompute nothing. Sending it
    changes the completeness; approving and returning it, both kinds."""
    grow(world, 1)
    school = f.OrganizationFactory(municipality=world.municipality)
    f.ParticipantFactory(program=program, organization=school)
    point = program.points.order_by("date").last()
    indicator = program.indicators.filter(method="entered").first()
    value = Measurement.objects.create(
        indicator=indicator, point=point, organization=school, value=10
    )
    value = Measurement.objects.get(pk=value.pk)
    client = as_user(world.coordinator)
    here = f"m{world.municipality.pk}"

    steps = [
        ("a draft over a draft", lambda v: setattr(v, "value", 11), set()),
        ("submitted", lambda v: v.submit(world.coordinator), {"completeness"}),
        ("approved", lambda v: v.approve(f.UserFactory()), {"indicators", "completeness"}),
        ("returned", lambda v: v.send_back(world.coordinator, "Проверьте"), {"indicators",
                                                                             "completeness"}),
        ("a draft over the returned one", lambda v: (setattr(v, "value", 12), v.withdraw()),
         set()),
    ]  # fmt: skip
    for title, change, expected in steps:
        visit(client, program)
        was = {WHOLE: point_versions(program), here: point_versions(program, here)}
        change(value)
        value.save()
        # The completeness of the value's own point: the other points' stay.
        marked = {part_kind(k, point.pk) if k == "completeness" else k for k in expected}
        for territory, before in was.items():
            got = changed_kinds(program, territory, before)
            assert got == marked, title
        with computed() as kinds:
            after, _ = visit(client, program)
        assert set(kinds) == expected, title
        # Whatever was kept or recomputed, the page shows what a fresh computation gives: its
        # figures, and each section's HTML, kept under the figure's stamp or rendered anew.
        kept_page = sections(client, program)
        cache.clear()
        fresh, _ = visit(client, program)
        assert after["completeness"] == fresh["completeness"], title
        assert [r.latest for r in after["indicators"]["rows"]] == [
            r.latest for r in fresh["indicators"]["rows"]
        ], title
        assert kept_page == sections(client, program), title
    # A value deleted while a draft changes nothing either.
    was = point_versions(program)
    value.delete()
    assert changed_kinds(program, WHOLE, was) == set()


def sections(client, program):
    """The dashboard's sections as HTML, by id (a chart's random id aside)."""
    page = client.get(reverse("dashboards:dashboard", args=[program.pk])).content.decode()
    page = re.sub(r"chart-[0-9a-f-]{36}", "chart", page)
    return dict(re.findall(r'<section class="mb-4" id="([^"]+)">(.*?)</section>', page, re.S))


def test_a_kept_page_renders_no_table_and_a_write_renders_only_its_sections(
    world, program, as_user, monkeypatch
):
    grow(world, 2)
    client = as_user(world.coordinator)
    made = []
    for name in ("ModuleTable", "EffectivenessTable", "CompletenessSummaryTable",
                 "IndicatorSummaryTable", "ResponsibleTable"):  # fmt: skip
        table = getattr(dashboard_views, name)
        monkeypatch.setattr(
            dashboard_views, name, lambda *a, _t=table, _n=name, **k: made.append(_n) or _t(*a, **k)
        )
    first = sections(client, program)
    assert set(first) >= {"effectiveness", "roadmap", "completeness", "indicators"}
    assert len(made) == 5
    made.clear()
    assert sections(client, program) == first
    assert made == []
    # A value approved: the completeness and the indicators are rendered again, and show it.
    value = Measurement.objects.filter(status=Measurement.Status.APPROVED).first()
    value.send_back(world.coordinator, "Проверьте")
    value.save()
    again = sections(client, program)
    assert sorted(made) == ["CompletenessSummaryTable", "IndicatorSummaryTable"]
    assert again["roadmap"] == first["roadmap"]
    assert again["completeness"] != first["completeness"]


def test_a_sheet_submitted_marks_its_figures_once(world, program, as_user):
    """Fifteen values sent together write their change marks in one statement, with no query
    for each value's program and territory, and the marks reach the same figures."""
    point = program.points.order_by("date").last()
    indicators = list(program.indicators.entered().of_schools())
    school = world.supported_school
    for indicator in indicators:
        Measurement.objects.update_or_create(
            indicator=indicator, point=point, organization=school,
            defaults={"value": 5, "status": Measurement.Status.DRAFT},
        )  # fmt: skip
    client = as_user(world.coordinator)
    url = reverse("monitoring:entry", args=[point.pk, school.pk])
    page = client.get(url)
    data = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page.content.decode()))
    data["action"] = "submit"
    here = f"m{school.municipality_id}"
    was = {WHOLE: point_versions(program), here: point_versions(program, here)}
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    assert response.status_code == 302
    assert Measurement.objects.filter(
        point=point, organization=school, status=Measurement.Status.SUBMITTED
    ).count() == len(indicators)
    marks = [q["sql"] for q in captured if 'INSERT INTO "core_datachange"' in q["sql"]]
    assert len(marks) == 1
    for territory, before in was.items():
        assert changed_kinds(program, territory, before) == {part_kind("completeness", point.pk)}
