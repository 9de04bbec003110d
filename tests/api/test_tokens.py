"""API tokens: issued, named and revoked by their owner, stored as a hash only, checked on
every request (401 without a good one), counted against a per-minute limit."""

import hashlib
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import issue_token, revoke_token

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/programs"


def test_without_a_token_the_api_answers_401_and_names_the_header(world):
    response = Client().get(PROGRAMS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Bearer tsp_wrong", "Bearer ", "Basic dXNlcjpwYXNz", "tsp_without_scheme"],
)
def test_a_bad_token_answers_401(world, header):
    assert Client().get(PROGRAMS, HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_in_the_address_is_not_accepted(world):
    _, raw = issue_token(world.coordinator, "склад", 5)
    assert Client().get(PROGRAMS, {"token": raw}).status_code == 401
    assert Client().get(PROGRAMS, {"access_token": raw}).status_code == 401


def test_an_expired_revoked_or_orphaned_token_answers_401(world, bearer):
    expired = bearer(world.coordinator)
    ApiToken.objects.filter(key_hash=_hash(expired.raw)).update(
        created_at=timezone.now() - timedelta(days=10),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    revoked = bearer(world.coordinator)
    revoke_token(world.coordinator, ApiToken.objects.get(key_hash=_hash(revoked.raw)))
    inactive = bearer(world.school)
    world.school.is_active = False
    world.school.save()
    good = bearer(world.coordinator)
    assert good.get(PROGRAMS).status_code == 200
    for client in (expired, revoked, inactive):
        assert client.get(PROGRAMS).status_code == 401


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def test_only_a_hash_of_the_token_is_stored(world):
    token, raw = issue_token(world.coordinator, "склад", 5)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in row.values()}
    assert row["key_hash"] == _hash(raw)
    assert raw.startswith(row["hint"]) and len(row["hint"]) < len(raw) / 3


def test_the_token_never_reaches_the_logs(world, bearer, caplog):
    client = bearer(world.coordinator)
    with caplog.at_level(logging.DEBUG):
        client.get(PROGRAMS)
        client.get("/api/v1/programs/999999")
        Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Bearer {client.raw}x")
    assert caplog.records, "the 404 and 401 are logged by django.request"
    assert all(client.raw not in record.getMessage() for record in caplog.records)


def test_past_the_rate_limit_a_token_gets_429_until_the_next_minute(world, bearer, settings):
    settings.API_RATE_PER_MINUTE = 3
    client, other = bearer(world.coordinator), bearer(world.coordinator)
    assert [client.get(PROGRAMS).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(PROGRAMS)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    # Each token has its own count.
    assert other.get(PROGRAMS).status_code == 200
    # A new minute starts a new count.
    ApiToken.objects.filter(key_hash=_hash(client.raw)).update(
        window_start=timezone.now() - timedelta(minutes=2)
    )
    assert client.get(PROGRAMS).status_code == 200


def test_a_request_marks_when_the_token_was_last_used(world, bearer):
    client = bearer(world.coordinator)
    token = ApiToken.objects.get(key_hash=_hash(client.raw))
    assert token.last_used_at is None
    client.get(PROGRAMS)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.window_count == 1


# The settings page -----------------------------------------------------------------------


def test_a_person_issues_a_token_on_the_settings_page_and_sees_it_once(world, as_user):
    client = as_user(world.school)
    response = client.post(reverse("api:tokens"), {"name": "Хранилище РЦОИ", "days": 30})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    raw = response.context["issued"]
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=world.school)
    assert token.name == "Хранилище РЦОИ"
    assert (token.expires_at - token.created_at).days == 30
    again = client.get(reverse("api:tokens"))
    assert raw not in again.content.decode()
    assert token.hint in again.content.decode()
    api = Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert [p["id"] for p in api.json()["items"]] == [world.program.pk]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "days": 30}, "name"),
        ({"name": "склад", "days": 0}, "days"),
        ({"name": "склад", "days": 100000}, "days"),
        ({"name": "склад", "days": "год"}, "days"),
    ],
)
def test_a_wrong_token_form_is_a_form_error_and_issues_nothing(world, as_user, data, field):
    response = as_user(world.school).post(reverse("api:tokens"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["issued"] is None
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_own_token_and_it_stops_working(world, as_user):
    token, raw = issue_token(world.school, "склад", 30)
    response = as_user(world.school).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.parametrize("name", ["coordinator", "region", "curator", "outsider"])
def test_nobody_else_sees_or_revokes_a_persons_token(world, as_user, name):
    token, raw = issue_token(world.school, "склад", 30)
    client = as_user(world.people[name])
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert token.hint not in client.get(reverse("api:tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_needs_signing_in(world):
    response = Client().get(reverse("api:tokens"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert Client().post(reverse("api:tokens"), {"name": "x", "days": 5}).status_code == 302
    assert not ApiToken.objects.exists()


def test_issue_token_prints_the_token_as_its_last_word(world):
    out = StringIO()
    call_command("issue_token", "curator", "--days", "7", stdout=out)
    raw = out.getvalue().split()[-1]
    token = ApiToken.objects.get(key_hash=_hash(raw))
    assert token.user == world.curator
    assert (token.expires_at - token.created_at).days == 7
    assert Client().get(PROGRAMS, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.parametrize("args", [["nobody"], ["curator", "--days", "0"]])
def test_issue_token_refuses_a_wrong_person_or_term(world, args):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("issue_token", *args, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_issuing_and_revoking_a_token_are_in_the_audit_trail_with_the_request(world, as_user):
    from accounts.models import AuditEvent

    client = as_user(world.coordinator)
    client.post(reverse("api:tokens"), {"name": "склад данных", "days": 30})
    token = ApiToken.objects.get(user=world.coordinator)
    client.post(reverse("api:token_revoke", args=[token.pk]))

    issued, revoked = AuditEvent.objects.filter(
        target=world.coordinator, action__startswith="token_"
    ).order_by("pk")
    assert (issued.action, issued.actor, issued.details["token"]) == (
        "token_issued",
        world.coordinator,
        token.pk,
    )
    assert issued.ip_address == "127.0.0.1"
    assert (revoked.action, revoked.details["name"]) == ("token_revoked", "склад данных")
    # Neither the token nor its hash is written anywhere in the trail.
    assert token.key_hash not in str(issued.details)


def test_a_token_issued_from_the_command_line_is_audited_with_no_actor(world):
    from accounts.models import AuditEvent

    call_command("issue_token", world.school.username, stdout=StringIO())
    event = AuditEvent.objects.get(action="token_issued")
    assert (event.actor, event.target) == (None, world.school)


def test_a_coordinator_who_must_give_a_second_factor_issues_no_token_before_it(
    world, as_user, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    client = as_user(world.coordinator)
    response = client.post(reverse("api:tokens"), {"name": "склад", "days": 30})
    assert response.status_code == 302
    assert "/accounts/second-factor/" in response["Location"]
    assert not ApiToken.objects.filter(user=world.coordinator).exists()
