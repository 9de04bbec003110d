"""`manage.py housekeeping`: run it daily (beside `prune_report_files`).

- Data-change marks: every write adds one and only the latest of each program is read
  (`core.changes.versions`), so the rest would grow with every save.
- Import jobs: a job's row is the proof that its upload was imported once, needed only while
  the upload can still be confirmed; after `IMPORT_JOB_DAYS` it goes, with the file of a job
  whose worker never came (a finished job keeps no file).
- The audit trail and the sign-in records (addresses and browsers, personal data): after
  `AUDIT_DAYS` (the accounts app says what goes, `AccountsConfig.prune_expired`).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import DataChange, ImportJob


class Command(BaseCommand):
    help = (
        "Удаляет устаревшие отметки изменения данных, старые загрузки из Excel, "
        "журнал безопасности и записи входов старше AUDIT_DAYS."
    )

    def handle(self, *args, **options):
        marks = DataChange.prune()
        before = timezone.now() - datetime.timedelta(days=settings.IMPORT_JOB_DAYS)
        jobs, _ = ImportJob.objects.filter(created_at__lt=before).delete()
        # Looked up by name: core imports no app.
        audit = apps.get_app_config("accounts").prune_expired()
        self.stdout.write(
            f"Удалено устаревших отметок изменений: {marks}; загрузок из Excel старше "
            f"{settings.IMPORT_JOB_DAYS} дн.: {jobs}; записей журнала безопасности и входов "
            f"старше {settings.AUDIT_DAYS} дн.: {audit}."
        )
