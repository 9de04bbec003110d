"""`manage.py housekeeping`: run it daily (beside `prune_report_files`).

- Data-change marks: every write adds one and only the latest of each program is read
  (`core.changes.versions`), so the rest would grow with every save.
- Import jobs: a job's row is the proof that its upload was imported once, needed only while
  the upload can still be confirmed; after `IMPORT_JOB_DAYS` it goes, with the file of a job
  whose worker never came (a finished job keeps no file).
- Background work abandoned by its worker (killed by a deploy, out of memory) is ended as
  failed with a message, and so are the task results it left running
  (`core.background.end_stale_work`); the page of such work ends it too when it is polled.
- The audit trail and the sign-in records (addresses and browsers, personal data): after
  `AUDIT_DAYS` (the accounts app says what goes, `AccountsConfig.prune_expired`).

The workers run it every hour by themselves (`PERIODIC_TASKS`); from cron it is just as safe.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.background import end_stale_work
from core.models import DataChange, ImportJob


class Command(BaseCommand):
    help = (
        "Удаляет устаревшие отметки изменения данных, старые загрузки из Excel, журнал "
        "безопасности и записи входов старше AUDIT_DAYS, завершает прерванные фоновые работы."
    )

    def handle(self, *args, **options):
        stale = end_stale_work()
        marks = DataChange.prune()
        before = timezone.now() - datetime.timedelta(days=settings.IMPORT_JOB_DAYS)
        jobs, _ = ImportJob.objects.filter(created_at__lt=before).delete()
        # Looked up by name: core imports no app.
        audit = apps.get_app_config("accounts").prune_expired()
        self.stdout.write(
            f"Удалено устаревших отметок изменений: {marks}; загрузок из Excel старше "
            f"{settings.IMPORT_JOB_DAYS} дн.: {jobs}; записей журнала безопасности и входов "
            f"старше {settings.AUDIT_DAYS} дн.: {audit}; прерванных фоновых работ: {stale}."
        )
