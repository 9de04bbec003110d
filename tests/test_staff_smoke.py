import pytest
from django.urls import reverse

from tests import factories as f
from tests.staff_helpers import fast_passwords  # noqa: F401

pytestmark = pytest.mark.django_db


def test_pages_render(world, as_user):
    w = world
    client = as_user(w.coordinator)
    roadmap = f.RoadmapFactory(program=w.program)
    item = f.RoadmapItemFactory(roadmap=roadmap)
    event = f.EventFactory(program=w.program)
    ind = f.IndicatorFactory(program=w.program)
    point = f.MonitoringPointFactory(program=w.program)
    f.MeasurementFactory(indicator=ind, point=point, organization=w.supported_school)
    urls = [
        reverse("programs:list"),
        reverse("programs:create"),
        reverse("programs:setup", args=[w.program.pk]),
        reverse("programs:setup_parts", args=[w.program.pk, "tasks"]),
        reverse("programs:setup_parts", args=[w.program.pk, "modules"]),
        reverse("programs:setup_participants", args=[w.program.pk]),
        reverse("programs:setup_pairs", args=[w.program.pk]),
        reverse("programs:setup_pair", args=[w.pair.pk]),
        reverse("programs:detail", args=[w.program.pk]),
        reverse("schools:list"),
        reverse("schools:list") + "?_export=xlsx",
        reverse("schools:import"),
        reverse("schools:import_template"),
        reverse("roadmaps:setup", args=[w.program.pk]),
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]),
        reverse("roadmaps:item_edit", args=[item.pk]),
        reverse("roadmaps:items", args=[w.program.pk]),
        reverse("roadmaps:schedule_preview") + f"?program={w.program.pk}&schedule_text=Май",
        reverse("roadmaps:events", args=[w.program.pk]),
        reverse("roadmaps:calendar", args=[w.program.pk]),
        reverse("roadmaps:event_create", args=[w.program.pk]),
        reverse("roadmaps:event_edit", args=[event.pk]),
        reverse("roadmaps:attendance", args=[event.pk]),
        reverse("monitoring:setup_points", args=[w.program.pk]),
        reverse("monitoring:setup_indicators", args=[w.program.pk]),
        reverse("monitoring:indicator_edit", args=[ind.pk]),
        reverse("monitoring:dashboard", args=[w.program.pk]),
        reverse("monitoring:indicator_dashboard", args=[ind.pk]),
        reverse("monitoring:indicator_chart", args=[ind.pk]),
        reverse("monitoring:completeness", args=[point.pk]),
        reverse("monitoring:territory"),
        reverse("monitoring:import_values", args=[w.program.pk]),
        reverse("monitoring:import_values_template", args=[w.program.pk]) + f"?point={point.pk}",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
    client.post(reverse("monitoring:standard_indicators", args=[w.program.pk]))
    for indicator in w.program.indicators.exclude(method="entered"):
        r = client.get(reverse("monitoring:effectiveness", args=[indicator.pk]))
        assert r.status_code == 200
    r = client.get(reverse("monitoring:dashboard", args=[w.program.pk]))
    assert r.status_code == 200
