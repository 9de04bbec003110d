from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.access import access_rule, any_of, reach

from .audit import Action


class AuditEventQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """A coordinator sees the events of the organizations of their territory and of the
        people who work there (whoever acted); the administrator all; nobody else any."""
        from django.apps import apps

        r = reach(user)
        if not r.is_coordinator:
            return self.none()
        Membership = apps.get_model("schools", "Membership")
        in_territory = r.territory(
            "organization__region", "organization__municipality", coordinator=True
        )
        people = Membership.objects.filter(in_territory).values("user")
        return self.filter(
            any_of(
                r.territory("organization__region", "organization__municipality", coordinator=True),
                Q(target__in=people),
                Q(actor__in=people),
            )
        )

    def expired(self, now=None):
        """Rows older than AUDIT_DAYS."""
        now = now or timezone.now()
        return self.filter(at__lt=now - timedelta(days=settings.AUDIT_DAYS))


class AuditEvent(models.Model):
    """One security or decision event (accounts.audit): written once by `audit.record`, never
    changed, pruned after AUDIT_DAYS."""

    at = models.DateTimeField("когда", default=timezone.now, db_index=True)
    action = models.CharField("событие", max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="в отношении кого",
    )
    organization = models.ForeignKey(
        "schools.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    ip_address = models.GenericIPAddressField("адрес", null=True, blank=True)
    user_agent = models.CharField("браузер", max_length=300, blank=True)
    details = models.JSONField("подробности", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "событие безопасности"
        verbose_name_plural = "журнал событий безопасности"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "at"], name="auditevent_action_at")]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Записи журнала событий не изменяются.")
        super().save(*args, **kwargs)


class Consent(models.Model):
    """A person's consent to the processing of their personal data (152-ФЗ, ст. 9), given when
    they accepted their invitation, with the version of the privacy page they agreed to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="consents",
        verbose_name="пользователь",
    )
    given_at = models.DateTimeField("дано", default=timezone.now)
    version = models.CharField("редакция политики", max_length=32)
    ip_address = models.GenericIPAddressField("адрес", null=True, blank=True)

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.user} — {self.given_at:%d.%m.%Y}"


class ExternalIdentity(models.Model):
    """The account of the region's identity provider (OpenID Connect) a person signs in with:
    the provider's issuer and its `sub` for the person. Stored at the first sign-in matched by
    the verified e-mail of an accepted invitation; every later sign-in is matched by it alone
    (accounts/oidc.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="external_identities",
        verbose_name="пользователь",
    )
    issuer = models.CharField("провайдер (issuer)", max_length=255)
    sub = models.CharField("идентификатор у провайдера (sub)", max_length=255)
    linked_at = models.DateTimeField("привязан", default=timezone.now)

    class Meta:
        verbose_name = "вход через провайдера"
        verbose_name_plural = "входы через провайдера"
        ordering = ["-linked_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="externalidentity_issuer_sub")
        ]

    def __str__(self):
        return f"{self.user} — {self.issuer}"
