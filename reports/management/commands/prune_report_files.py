"""`manage.py prune_report_files`: remove report files past their storage time (run it daily)."""

from django.core.management.base import BaseCommand

from reports.tasks import prune_report_files


class Command(BaseCommand):
    help = "Удаляет файлы отчётов, срок хранения которых истёк."

    def handle(self, *args, **options):
        removed = prune_report_files.call()
        self.stdout.write(f"Удалено файлов отчётов: {removed}.")
