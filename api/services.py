"""Issuing and revoking a person's API tokens, each one function that also writes the audit
trail. The second factor needs nothing here: a person who must have one reaches the tokens page
only after giving a code (`accounts.second_factor.SecondFactorMiddleware`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit

from .models import ApiToken, new_raw_token, token_hash


@transaction.atomic
def issue_token(user, name, days, *, request=None):
    """A new token of `user`, valid for `days` days, written in the audit trail (the request it
    came with, or none from the command line). Returns (the token's row, the token itself):
    the token is shown once and never stored."""
    raw = new_raw_token()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=token_hash(raw),
        hint=raw[:10],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit.record(
        audit.Action.TOKEN_ISSUED,
        actor=user if request is not None else None,
        target=user,
        request=request,
        token=token.pk,
        name=name,
        hint=token.hint,
        days=days,
    )
    return token, raw


@transaction.atomic
def revoke_token(user, token, *, request=None):
    """Revoke one of the person's own tokens, written in the audit trail; True when it was
    active until now. A token of someone else is never touched (the caller found it through
    `ApiToken.objects.of`)."""
    revoked = bool(
        ApiToken.objects.of(user)
        .filter(pk=token.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
    if revoked:
        audit.record(
            audit.Action.TOKEN_REVOKED,
            actor=user,
            target=user,
            request=request,
            token=token.pk,
            name=token.name,
            hint=token.hint,
        )
    return revoked
