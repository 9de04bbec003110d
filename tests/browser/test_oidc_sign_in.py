"""A person signs in through the region's identity provider in a real browser: the button, the
provider's own page in its own process (tests/oidc_provider/), and back at the portal."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ExternalIdentity
from notices.models import Invitation
from tests.oidc_provider.process import running, switch_on

from .test_accessibility import axe_source, violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    with running(live_server.url, tmp_path_factory.mktemp("oidc_provider")) as started:
        yield started


def test_an_invited_person_signs_in_through_the_provider(
    world, live_server, page, provider, settings
):
    switch_on(settings, provider)
    person = world.curator
    person.email = "curator@school.example"
    person.last_login = timezone.now()
    person.save()
    Invitation.objects.create(
        user=person, organization=world.curator_school, invited_by=world.coordinator
    )

    page.goto(f"{live_server.url}/accounts/login/")
    # The sign-in page with the provider's button passes axe as the page without it does.
    assert violations(page, axe_source()) == []
    page.get_by_role("link", name="Войти через Госуслуги Югры").click()
    page.wait_for_url(f"{provider.url}/login/**")
    page.locator("input[name=username]").fill("curator-at-provider")
    page.locator("input[name=email]").fill("curator@school.example")
    page.locator("input[name=email_verified]").check()
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".header-user")).to_have_text(person.get_full_name())
    assert ExternalIdentity.objects.filter(user=person).exists()
