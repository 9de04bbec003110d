"""Headers and production guards: a Content Security Policy on every page, no inline script in
any template, downloads kept out of shared caches, and load_demo refusing a production server."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from schools.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


@pytest.mark.parametrize("page", ["login", "home", "schools:list", "programs:list"])
def test_every_page_carries_a_policy_that_allows_only_the_portals_own_scripts(world, as_user, page):
    client = as_user(None if page == "login" else world.coordinator)
    response = client.get(reverse(page))
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_a_not_found_page_carries_the_policy_too(world, as_user):
    response = as_user(world.coordinator).get("/programs/999999999/")
    assert response.status_code == 404
    assert policy(response)["script-src"] == "'self'"


def test_no_template_carries_an_inline_script_or_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\ssrc=)[^>]*>", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        for match in re.finditer(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(TEMPLATES)}: javascript:")
    assert offenders == []


def test_the_page_behaviour_lives_in_a_static_file(world, as_user):
    page = as_user(world.coordinator).get(reverse("home")).content.decode()
    assert "js/portal.js" in page
    script = (Path(settings.BASE_DIR) / "static/js/portal.js").read_text()
    assert "data-confirm" in script and "data-autosubmit" in script and "reorderUrl" in script


def test_a_pdf_report_is_not_kept_by_shared_caches(world, as_user):
    response = as_user(world.coordinator).get(
        reverse("reports:report_pdf", args=["passport", world.program.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "url",
    [
        lambda world: reverse("reports:report_xlsx", args=["passport", world.program.pk]),
        lambda world: reverse("schools:list") + "?_export=xlsx",
        lambda world: reverse("schools:import_template"),
    ],
)
def test_every_workbook_is_not_kept_by_shared_caches(world, as_user, url):
    response = as_user(world.coordinator).get(url(world))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_download_is_not_kept_by_shared_caches(world, as_user):
    agreement = f.AgreementFactory(pair=world.pair)
    agreement.file.save("соглашение.pdf", ContentFile(b"%PDF-1.4 x"))
    response = as_user(world.coordinator).get(
        reverse("programs:agreement_file", args=[agreement.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    # The download keeps its own sandboxing policy.
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("page", ["home", "schools:list", "notices:list", "password_change"])
def test_a_signed_in_page_is_kept_by_no_cache(world, as_user, page):
    """A person's page may never be kept by a shared proxy or a shared computer's browser."""
    response = as_user(world.school).get(reverse(page))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_calendar_feed_is_kept_by_no_cache(world, client):
    from notices.models import CalendarFeed

    feed = CalendarFeed.of(world.school)
    response = client.get(reverse("notices:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_public_entry_keeps_what_its_view_says(db, client):
    assert "no-store" not in client.get(reverse("home")).get("Cache-Control", "")


def test_load_demo_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Organization.objects.exists()
