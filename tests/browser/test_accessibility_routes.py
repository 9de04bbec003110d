"""Every page of the permission table (tests/test_permissions.py) at a phone's 390 × 844, through
axe-core with no rule switched off: each GET row that answers 200 to someone is opened as the
first person it answers 200 to (anonymous last), and must show no violation and no sideways
scroll. Files, feeds and the pickers' htmx fragments are not pages and are left out: their
answer is not a whole HTML document.

Heavy like the main sweep (tests/browser/test_accessibility.py), it runs on the SQLite leg only;
one browser page per person, one visit per route."""

import os

import pytest
from django.test import Client

from tests.permissions_rows import API, build_places, registered, request_for
from tests.test_permissions import PEOPLE, TABLE

from .test_accessibility import axe_source, report, violations, wider_than_screen
from .test_phone import PHONE

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the accessibility sweep runs on the SQLite leg only",
    ),
]

# The admin's pages are Django's own (tests/test_admin.py).
NOT_OURS = ("admin index", "admin sign-in page")


def rows_by_person():
    """{person: [labels]}: each GET row answering 200 to someone, under the first such person."""
    chosen = {}
    for label, method, *answers in TABLE:
        if method != "GET" or label in NOT_OURS or registered(label) in API:
            continue
        for name, expected in zip(PEOPLE, answers, strict=True):
            if expected == 200:
                chosen.setdefault(name, []).append(label)
                break
    return chosen


ROWS = rows_by_person()


def is_page(client, url):
    """A whole HTML document (not a file, a feed or an htmx fragment)."""
    response = client.get(url)
    return response["Content-Type"].startswith("text/html") and b"<html" in response.content[:500]


@pytest.mark.parametrize("person", list(ROWS), ids=[name or "anonymous" for name in ROWS])
def test_every_page_of_the_permission_table_passes_axe_at_a_phones_width(
    person, world, scene, live_server, page, sign_in
):
    places = build_places(world, scene)
    client = Client()
    if person is not None:
        client.force_login(world.people[person])
        sign_in(person)
    page.set_viewport_size(PHONE)
    source = axe_source()
    problems, seen = {}, 0
    for label in ROWS[person]:
        url, _ = request_for(label, places)
        if not is_page(client, url):
            continue
        seen += 1
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        found = violations(page, source)
        if wider_than_screen(page):
            found.append(f"the page is wider than {PHONE['width']} px")
        if found:
            problems[f"{label} ({url})"] = found
    assert seen, f"no page of the table was checked as {person}"
    assert problems == {}, report(problems)
