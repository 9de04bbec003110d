"""Issuing and revoking a person's API tokens: each one function, so that whatever else must
happen with them (the audit trail, the second factor) is added in one place."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, new_raw_token, token_hash


@transaction.atomic
def issue_token(user, name, days):
    """A new token of `user`, valid for `days` days. Returns (the token's row, the token
    itself): the token is shown once and never stored."""
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
    return token, raw


@transaction.atomic
def revoke_token(user, token):
    """Revoke one of the person's own tokens; True when it was active until now. A token of
    someone else is never touched (the caller found it through `ApiToken.objects.of`)."""
    return bool(
        ApiToken.objects.of(user)
        .filter(pk=token.pk, revoked_at__isnull=True)
        .update(revoked_at=timezone.now())
    )
