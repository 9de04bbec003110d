"""Sign-in through the region's identity provider (OpenID Connect, accounts/oidc.py), against a
real provider in a process of its own (tests/oidc_provider/): the portal under the live server,
the whole redirect dance driven by one `requests.Session` as a browser would."""

import html
import re
import uuid

import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import oidc
from accounts.audit import Action
from accounts.models import AuditEvent, ExternalIdentity
from notices.models import Invitation
from tests import factories as f
from tests.oidc_provider.process import running, switch_on


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory):
    """The test provider, started once with the portal's callback under the live server as its
    application's only redirect address."""
    with running(live_server.url, tmp_path_factory.mktemp("oidc_provider")) as started:
        yield started


@pytest.fixture
def oidc_on(provider, settings, monkeypatch):
    # The live server answers in a thread of the test process; the ORM calls in between are
    # synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    switch_on(settings, provider)
    return provider


def invited(world, email, *, accepted=True, active=True, user=None):
    """A person invited to the curator school by the coordinator; `accepted`: they followed the
    letter's link (and so have signed in)."""
    if user is None:
        user = f.UserFactory(
            username=email, first_name="Оксана", last_name="Сидорова", is_active=active
        )
        f.MembershipFactory(user=user, organization=world.curator_school)
    user.email = email
    user.last_login = timezone.now() if accepted else None
    user.save()
    Invitation.objects.create(
        user=user, organization=world.curator_school, invited_by=world.coordinator
    )
    return user


def through_provider(portal, *, username, email, verified=True, amr="", acr=""):
    """The sign-in page's button, the provider's sign-in as `username` with these claims, and
    back: the portal's last answer (its redirects followed)."""
    browser = requests.Session()
    page = browser.get(f"{portal}/accounts/login/", timeout=30)
    start = re.search(r'href="(/accounts/oidc/start/[^"]*)"', page.text)
    assert start, "the sign-in page has no button for the provider"
    form = browser.get(portal + html.unescape(start.group(1)), timeout=30)
    assert "/login/" in form.url and not form.url.startswith(portal)
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|next)" value="([^"]*)"', form.text))
    answer = browser.post(
        form.url,
        data={
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "next": html.unescape(fields["next"]),
            "username": username,
            "email": email,
            **({"email_verified": "on"} if verified else {}),
            "amr": amr,
            "acr": acr,
        },
        timeout=30,
    )
    answer.raise_for_status()
    return answer


def signed_in_as(answer, portal, user):
    return (
        answer.url == f"{portal}/"
        and f'title="{user.get_full_name()}"' in answer.text
        and 'action="/accounts/logout/"' in answer.text
    )


def refused_with(answer, portal, reason):
    return answer.url.startswith(f"{portal}/accounts/login/") and (
        html.escape(oidc.REFUSALS[reason], quote=False) in answer.text
    )


def provider_name():
    return f"person-{uuid.uuid4().hex[:12]}"


# Switched off ---------------------------------------------------------------------------------


def test_without_the_provider_there_is_no_button_and_its_pages_are_not_found(client, settings, db):
    settings.OIDC_DISCOVERY_URL = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_RP_CLIENT_ID = ""
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "/accounts/oidc/start/" not in page.content.decode()
    assert client.get("/accounts/oidc/start/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_a_client_id_without_the_provider_s_address_leaves_it_off(client, settings, db):
    settings.OIDC_DISCOVERY_URL = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    settings.OIDC_RP_CLIENT_ID = "portal"
    assert "/accounts/oidc/start/" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/start/").status_code == 404


def test_a_callback_without_a_started_sign_in_is_refused(client, settings, db):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/unused"
    settings.OIDC_RP_CLIENT_ID = "portal"
    answer = client.get("/accounts/oidc/callback/?code=x&state=forged", follow=True)
    assert answer.redirect_chain[-1][0] == "/accounts/login/"
    assert oidc.REFUSALS["state"] in answer.content.decode()
    assert not answer.context["user"].is_authenticated
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.details["reason"] == "state"


def test_an_unreachable_provider_is_said_so_on_the_sign_in_page(client, settings, db):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_TIMEOUT = 2
    answer = client.get("/accounts/oidc/start/", follow=True)
    assert answer.redirect_chain[-1][0] == "/accounts/login/"
    assert oidc.REFUSALS["unavailable"] in answer.content.decode()


# Which claims count as the second factor -------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "given"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["pwd", "hwk"]}, True),
        ({"amr": ["pwd"]}, False),
        ({"acr": "mfa"}, True),
        ({"acr": "urn:low"}, False),
        ({}, False),
    ],
)
def test_the_provider_s_second_factor_is_read_from_amr_or_acr(settings, claims, given):
    settings.OIDC_ACR_VALUES_2FA = ["mfa", "otp", "hwk"]
    assert oidc.second_factor_given(claims) is given


def test_the_accepted_values_are_configured(settings):
    settings.OIDC_ACR_VALUES_2FA = ["urn:esia:loa:high"]
    assert oidc.second_factor_given({"acr": "urn:esia:loa:high"})
    assert not oidc.second_factor_given({"amr": ["mfa"]})


# Against the provider ----------------------------------------------------------------------------


def test_the_sign_in_page_keeps_the_password_and_adds_the_button(oidc_on, live_server, db):
    page = requests.get(f"{live_server.url}/accounts/login/", timeout=30).text
    assert 'name="password"' in page
    assert "Войти через Госуслуги Югры" in page


def test_matched_by_the_invitation_s_verified_e_mail_then_by_the_stored_sub(
    oidc_on, live_server, world
):
    person = invited(world, "sidorova@school.example")
    people = get_user_model().objects.count()
    name = provider_name()

    first = through_provider(live_server.url, username=name, email="Sidorova@school.example")

    assert signed_in_as(first, live_server.url, person)
    identity = ExternalIdentity.objects.get(user=person)
    assert identity.issuer == f"{oidc_on.url}/o"
    assert identity.sub.isdigit()
    linked = AuditEvent.objects.get(action=Action.EXTERNAL_IDENTITY_LINKED)
    assert (linked.target, linked.details["sub"]) == (person, identity.sub)
    sign_in = AuditEvent.objects.get(action=Action.SIGN_IN, target=person)
    assert sign_in.details["method"] == "OpenID Connect"

    # The provider's e-mail changes (and no longer matches anyone's): the sub still does.
    second = through_provider(live_server.url, username=name, email="o.sidorova@mail.example")

    assert signed_in_as(second, live_server.url, person)
    assert ExternalIdentity.objects.filter(user=person).count() == 1
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, target=person).count() == 2
    assert get_user_model().objects.count() == people


def test_an_unverified_e_mail_is_refused(oidc_on, live_server, world):
    person = invited(world, "sidorova@school.example")
    people = get_user_model().objects.count()

    answer = through_provider(
        live_server.url, username=provider_name(), email=person.email, verified=False
    )

    assert refused_with(answer, live_server.url, "unverified")
    assert 'name="password"' in answer.text
    assert not ExternalIdentity.objects.exists()
    assert get_user_model().objects.count() == people
    refusal = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert refusal.details["reason"] == "unverified"
    assert refusal.details["where"] == "OpenID Connect"
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()


def test_an_unknown_person_is_refused_and_no_account_is_made(oidc_on, live_server, world):
    invited(world, "sidorova@school.example")
    people = get_user_model().objects.count()

    answer = through_provider(
        live_server.url, username=provider_name(), email="stranger@mail.example"
    )

    assert refused_with(answer, live_server.url, "unknown")
    assert get_user_model().objects.count() == people
    assert not get_user_model().objects.filter(email="stranger@mail.example").exists()
    assert not ExternalIdentity.objects.exists()
    refusal = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert (refusal.details["reason"], refusal.details["email"]) == (
        "unknown",
        "stranger@mail.example",
    )


@pytest.mark.parametrize("how", ["not accepted", "never invited"])
def test_an_account_that_did_not_come_through_an_accepted_invitation_is_not_matched(
    oidc_on, live_server, world, how
):
    if how == "not accepted":
        person = invited(world, "sidorova@school.example", accepted=False)
    else:
        # An account with the e-mail but no invitation (made by the administrator, say).
        person = world.school
        person.email = "sidorova@school.example"
        person.save()

    answer = through_provider(live_server.url, username=provider_name(), email=person.email)

    assert refused_with(answer, live_server.url, "unknown")
    assert not ExternalIdentity.objects.exists()


def test_an_inactive_person_is_refused_by_e_mail_and_by_sub(oidc_on, live_server, world):
    person = invited(world, "sidorova@school.example", active=False)
    name = provider_name()

    by_email = through_provider(live_server.url, username=name, email=person.email)

    assert refused_with(by_email, live_server.url, "inactive")
    assert not ExternalIdentity.objects.exists()

    # Linked while active, then switched off.
    person.is_active = True
    person.save()
    assert signed_in_as(
        through_provider(live_server.url, username=name, email=person.email),
        live_server.url,
        person,
    )
    person.is_active = False
    person.save()

    by_sub = through_provider(live_server.url, username=name, email="other@mail.example")

    assert refused_with(by_sub, live_server.url, "inactive")
    refusals = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).order_by("at", "pk")
    assert [(e.details["reason"], e.target) for e in refusals] == [
        ("inactive", person),
        ("inactive", person),
    ]


def test_a_second_provider_account_with_the_same_e_mail_does_not_take_over(
    oidc_on, live_server, world
):
    person = invited(world, "sidorova@school.example")
    first = provider_name()
    assert signed_in_as(
        through_provider(live_server.url, username=first, email=person.email),
        live_server.url,
        person,
    )

    answer = through_provider(live_server.url, username=provider_name(), email=person.email)

    assert refused_with(answer, live_server.url, "unknown")
    assert ExternalIdentity.objects.filter(user=person).count() == 1


# The second factor -------------------------------------------------------------------------------


@pytest.fixture
def coordinator(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    return invited(world, "coordinator@authority.example", user=world.coordinator)


def test_a_coordinator_whose_provider_says_mfa_needs_no_portal_code(
    oidc_on, live_server, coordinator
):
    TOTPDevice.objects.create(user=coordinator, name="Приложение", confirmed=True)

    answer = through_provider(
        live_server.url, username=provider_name(), email=coordinator.email, amr="pwd mfa"
    )

    assert signed_in_as(answer, live_server.url, coordinator)
    sign_in = AuditEvent.objects.get(action=Action.SIGN_IN, target=coordinator)
    assert sign_in.details["method"] == "OpenID Connect, второй фактор у провайдера"


def test_a_coordinator_whose_provider_says_a_second_factor_by_acr_needs_no_enrolment(
    oidc_on, live_server, coordinator
):
    answer = through_provider(
        live_server.url, username=provider_name(), email=coordinator.email, acr="mfa"
    )

    assert signed_in_as(answer, live_server.url, coordinator)


def test_a_coordinator_signed_in_with_a_password_alone_at_the_provider_enrols(
    oidc_on, live_server, coordinator
):
    answer = through_provider(
        live_server.url, username=provider_name(), email=coordinator.email, amr="pwd"
    )

    assert answer.url.startswith(f"{live_server.url}/accounts/second-factor/enrol/")
    assert "otpauth" in answer.text or "data:image/svg+xml" in answer.text


def test_a_coordinator_with_a_device_gives_the_portal_s_code_after_the_provider(
    oidc_on, live_server, coordinator
):
    TOTPDevice.objects.create(user=coordinator, name="Приложение", confirmed=True)

    answer = through_provider(live_server.url, username=provider_name(), email=coordinator.email)

    assert answer.url.startswith(f"{live_server.url}/accounts/second-factor/?")
    assert 'name="code"' in answer.text


# Personal data --------------------------------------------------------------------------------


def test_a_person_sees_their_link_to_the_provider_and_erasure_removes_it(world, as_user, superuser):
    from accounts import personal_data

    ExternalIdentity.objects.create(user=world.school, issuer="https://idp.example", sub="4711")
    data = as_user(world.school).get("/accounts/my-data/?format=json").json()
    assert data["Вход через провайдера"][0]["идентификатор"] == "4711"
    assert (
        as_user(world.curator).get("/accounts/my-data/?format=json").json()["Вход через провайдера"]
        == []
    )

    personal_data.erase(world.school, by=superuser)

    assert not ExternalIdentity.objects.exists()
