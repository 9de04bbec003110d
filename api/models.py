"""A person's API tokens: only a hash of each is stored, so the database never holds a token
that works; the person sees it once, when it is issued."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# What every token begins with, so that a leaked one is recognised by secret scanners.
PREFIX = "tsp_"


def token_hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token():
    return PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def of(self, user):
        """A person's own tokens: nobody else sees or revokes them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self, now=None):
        """Tokens that open the API now: not revoked, not expired, of an active person."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A token a person issued for the read API (токен доступа к API), with a name saying
    what it is for and an expiry. The API answers with the person's own rights."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name="владелец",
    )
    name = models.CharField("назначение", max_length=100)
    key_hash = models.CharField("хеш токена", max_length=64, unique=True, editable=False)
    # The first characters, shown in the list so that a person tells their tokens apart.
    hint = models.CharField("начало токена", max_length=12, editable=False)
    created_at = models.DateTimeField("выдан", default=timezone.now, editable=False)
    expires_at = models.DateTimeField("действует до")
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)
    last_used_at = models.DateTimeField("последнее обращение", null=True, blank=True)
    # The rate limit's current minute and the requests counted in it; kept in the database so
    # that every app server counts the same requests.
    window_start = models.DateTimeField(null=True, blank=True, editable=False)
    window_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="apitoken_expires_after_issue",
                violation_error_message="Срок действия токена должен быть после его выдачи.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active

    def take_request(self, limit, now=None):
        """Count one request against the per-minute limit; False when the limit is reached.
        One conditional UPDATE, so two app servers never let more through between them."""
        now = now or timezone.now()
        minute = now.replace(second=0, microsecond=0)
        fresh = Q(window_start__lt=minute) | Q(window_start__isnull=True)
        return bool(
            ApiToken.objects.filter(pk=self.pk)
            .filter(fresh | Q(window_count__lt=limit))
            .update(
                window_count=models.Case(
                    models.When(fresh, then=models.Value(1)),
                    default=F("window_count") + 1,
                ),
                window_start=minute,
                last_used_at=now,
            )
        )
