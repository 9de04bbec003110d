"""`manage.py prune_data_changes`: keep only the latest data-change mark of each program (run it
daily, beside `prune_report_files`). Every write adds a mark and only the latest of each key is
read (`core.changes.versions`), so the rest is dead weight that would grow with every save."""

from django.core.management.base import BaseCommand

from core.models import DataChange


class Command(BaseCommand):
    help = "Удаляет устаревшие отметки изменения данных (остаётся последняя по каждой программе)."

    def handle(self, *args, **options):
        removed = DataChange.prune()
        self.stdout.write(f"Удалено устаревших отметок изменений: {removed}.")
