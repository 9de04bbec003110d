from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Учётные записи и безопасность"

    def ready(self):
        from . import signals

        signals.connect()

    def prune_expired(self, now=None):
        """Delete what is kept only for AUDIT_DAYS — audit rows and the sign-in records of
        django-axes (addresses, browsers) — and return how many rows went (housekeeping)."""
        from datetime import timedelta

        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.conf import settings
        from django.utils import timezone

        now = now or timezone.now()
        before = now - timedelta(days=settings.AUDIT_DAYS)
        removed = self.get_model("AuditEvent").objects.expired(now).delete()[0]
        removed += AccessLog.objects.filter(attempt_time__lt=before).delete()[0]
        removed += AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0]
        removed += AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0]
        return removed
