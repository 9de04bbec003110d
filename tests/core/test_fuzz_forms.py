"""Property-based fuzzing (hypothesis) of the forms a school, a curator and a coordinator post:
whatever arrives in the fields, the answer is never a server error, and a refused post changes
nothing. The field names are read from the page's own forms; the number of examples is bounded
so that the whole run stays within a minute."""

import re

import pytest
from django import forms
from django.db.models import Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitoring.models import Indicator, Measurement, MonitoringPoint
from programs.models import CuratorPair, Document, DocumentVersion, Participant
from roadmaps.models import Event, ItemReport, RoadmapItem
from schools.models import RiskProfile

pytestmark = pytest.mark.django_db

EXAMPLES = 12

# What people and attackers type: nothing, text of any script, numbers too big for any column,
# impossible dates, formulas, markup, null bytes.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1e400",
        "NaN",
        "Infinity",
        "99999999999999999999",
        "2023-02-30",
        "0000-00-00",
        "99999-01-01",
        "31.12.2023",
        "on",
        '=HYPERLINK("http://x")',
        "<script>alert(1)</script>",
        "\x00",
        "null",
        "ШНОР; ШССУ",
    ]
)
VALUE = st.one_of(
    NASTY,
    st.text(max_size=120),
    st.integers(min_value=-(10**22), max_value=10**22).map(str),
    st.from_regex(r"\d{1,20}", fullmatch=True),
)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def field_names(response):
    """Every field name of every form and formset on the page."""
    names = set()
    contexts = response.context if isinstance(response.context, list) else [response.context]
    values = [v for context in contexts for v in context.flatten().values()]
    for value in values:
        found = value if isinstance(value, list | tuple) else [value]
        for item in found:
            if isinstance(item, forms.BaseForm):
                names.update(item.add_prefix(name) for name in item.fields)
            elif isinstance(item, forms.BaseFormSet):
                names.update(
                    item.management_form.add_prefix(n) for n in item.management_form.fields
                )
                for form in item.forms:
                    names.update(form.add_prefix(name) for name in form.fields)
    # Forms kept inside rows (the data-entry sheet) show up only in the markup.
    names.update(
        re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', response.content.decode())
    )
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


def snapshot():
    """Everything the fuzzed forms could change."""
    return (
        ItemReport.objects.count(),
        RoadmapItem.objects.count(),
        RoadmapItem.objects.aggregate(r=Sum("revision"))["r"],
        Measurement.objects.count(),
        Measurement.objects.aggregate(r=Sum("revision"))["r"],
        RiskProfile.objects.count(),
        Document.objects.aggregate(r=Sum("revision"))["r"],
        DocumentVersion.objects.count(),
        CuratorPair.objects.count(),
        Participant.objects.count(),
        Event.objects.count(),
        MonitoringPoint.objects.count(),
        Indicator.objects.count(),
    )


PAGES = {
    "school: progress report": ("school", lambda s, w: s.inside.item.get_absolute_url()),
    "school: values of a point": (
        "school",
        lambda s, w: reverse("monitoring:entry", args=[s.inside.point.pk, w.supported_school.pk]),
    ),
    "school: risk profile": (
        "school",
        lambda s, w: reverse("schools:risk_profile_new", args=[w.supported_school.pk]),
    ),
    "school: document": ("school", lambda s, w: s.inside.document.get_absolute_url()),
    "curator: values of a point": (
        "curator",
        lambda s, w: reverse("monitoring:entry", args=[s.inside.point.pk, w.supported_school.pk]),
    ),
    "curator: progress report": ("curator", lambda s, w: s.inside.item.get_absolute_url()),
    "coordinator: pairs": (
        "coordinator",
        lambda s, w: reverse("programs:setup_pairs", args=[w.program.pk]),
    ),
    "coordinator: participants": (
        "coordinator",
        lambda s, w: reverse("programs:setup_participants", args=[w.program.pk]),
    ),
    "coordinator: roadmap item": (
        "coordinator",
        lambda s, w: reverse("roadmaps:setup_roadmap", args=[s.inside.roadmap.pk]),
    ),
    "coordinator: item edit": (
        "coordinator",
        lambda s, w: reverse("roadmaps:item_edit", args=[s.inside.item.pk]),
    ),
    "coordinator: event": (
        "coordinator",
        lambda s, w: reverse("roadmaps:event_create", args=[w.program.pk]),
    ),
    "coordinator: points": (
        "coordinator",
        lambda s, w: reverse("monitoring:setup_points", args=[w.program.pk]),
    ),
    "coordinator: indicators": (
        "coordinator",
        lambda s, w: reverse("monitoring:setup_indicators", args=[w.program.pk]),
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_no_post_gives_a_server_error_and_a_refused_one_changes_nothing(
    scene, world, as_user, page
):
    person, address = PAGES[page]
    client = as_user(world.people[person])
    url = address(scene, world)
    shown = client.get(url)
    assert shown.status_code == 200
    names = field_names(shown)
    assert names, f"no form on {url}"

    @FUZZ
    @given(
        data=st.dictionaries(
            st.sampled_from(names), st.one_of(VALUE, st.lists(VALUE, max_size=3)), max_size=12
        )
    )
    def post(data):
        before = snapshot()
        # The test client re-raises any exception a view lets through: a 500 fails here.
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404), response.status_code
        if response.status_code != 302:
            assert snapshot() == before

    post()


@pytest.mark.parametrize(
    "list_url",
    [
        lambda w: reverse("schools:list"),
        lambda w: reverse("programs:list"),
        lambda w: reverse("roadmaps:items", args=[w.program.pk]),
        lambda w: reverse("roadmaps:events", args=[w.program.pk]),
        lambda w: reverse("schools:import_template"),
        lambda w: reverse("monitoring:import_values_template", args=[w.program.pk]),
    ],
)
def test_no_filter_or_query_string_gives_a_server_error(world, as_user, list_url):
    client = as_user(world.coordinator)
    url = list_url(world)
    keys = st.sampled_from(
        [
            "q",
            "year",
            "region",
            "municipality",
            "point",
            "program",
            "status",
            "category",
            "page",
            "sort",
            "month",
            "late",
            "_export",
            "next",
        ]
    )

    @FUZZ
    @given(query=st.dictionaries(keys, VALUE, max_size=4))
    def get(query):
        response = client.get(url, query)
        assert response.status_code in (200, 302, 400, 404), response.status_code

    get()
