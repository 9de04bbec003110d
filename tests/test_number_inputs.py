"""Every number input the portal renders holds a value a browser can read: a localized
«60,50» in an `<input type="number">` is read as empty, and the form cannot be sent again."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from monitoring.models import Target
from roadmaps.models import Roadmap

from . import factories as f

BROWSER_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


class Inputs(HTMLParser):
    """The inputs of a page: (type, name, value) of each."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            attrs = dict(attrs)
            self.found.append((attrs.get("type", "text"), attrs.get("name"), attrs.get("value")))


def inputs(html):
    parser = Inputs()
    parser.feed(html)
    return parser.found


def patterns(resolver=None, prefix=""):
    """(namespaced name, converters) of every named URL of the portal (the admin aside)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def numbers(world):
    """A program whose numbers have decimals: targets, a point's stage, attendance."""
    program = world.program
    point = f.MonitoringPointFactory(program=program, stage=2, date=datetime.date(2023, 5, 31))
    indicator = f.IndicatorFactory(program=program, order=3)
    f.TargetFactory(indicator=indicator, point=point, value=Decimal("60.50"))
    f.TargetFactory(indicator=indicator, point=None, organization=None, value=Decimal("85.25"))
    f.MeasurementFactory(
        indicator=indicator, point=point, organization=world.supported_school, value="12.75"
    )
    event = f.EventFactory(program=program)
    event.invited.add(world.supported_school)
    f.AttendanceFactory(event=event, organization=world.supported_school, people_count=1500)
    roadmap = f.RoadmapFactory(
        program=program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
    )
    item = f.RoadmapItemFactory(roadmap=roadmap)
    return [program, indicator, point, event, roadmap, item, world.pair, world.supported_school]


def test_every_number_input_of_every_page_holds_a_value_a_browser_reads(
    admin_client, world, numbers
):
    pks = sorted({obj.pk for obj in numbers})
    checked = pages = 0
    for name, converters in patterns():
        if set(converters) - {"pk", "school_pk"}:
            continue
        candidates = (
            [{}]
            if not converters
            else [
                dict.fromkeys(converters, value)
                | ({"school_pk": world.supported_school.pk} if "school_pk" in converters else {})
                for value in pks
            ]
        )
        for kwargs in candidates:
            response = admin_client.get(reverse(name, kwargs=kwargs))
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            for kind, field, value in inputs(response.content.decode()):
                if kind == "number" and value:
                    checked += 1
                    assert BROWSER_NUMBER.match(value), (name, kwargs, field, value)
    assert pages > 20
    assert checked > 0


def test_the_indicator_form_with_targets_is_sent_again_as_rendered(world, numbers, as_user):
    indicator = numbers[1]
    url = reverse("monitoring:indicator_edit", args=[indicator.pk])
    client = as_user(world.coordinator)
    page = client.get(url).content.decode()
    # The target's value is shown the Russian way, in an input a browser reads as typed.
    target_inputs = {n: (t, v) for t, n, v in inputs(page) if n and n.endswith("-value")}
    assert ("text", "60,5") in target_inputs.values() or ("text", "60,50") in target_inputs.values()

    data = {name: value or "" for kind, name, value in inputs(page) if name and kind != "checkbox"}
    for select in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen.group(1) if chosen else ""
    for area in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[area.group(1)] = area.group(2).strip()
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        form.errors for form in response.context.get("targets", [])
    ]
    assert Target.objects.get(indicator=indicator, point__isnull=False).value == Decimal("60.50")
