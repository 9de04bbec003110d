"""Background tasks of the reports (Django's Tasks API; a worker runs them)."""

import logging

from django_tasks import task

from . import background
from .models import ReportFile

logger = logging.getLogger(__name__)


@task()
def make_report_file(report_file_id):
    """Make the file of a `ReportFile` that is still waiting; a second run of the same task finds
    it claimed and does nothing."""
    if not ReportFile.claim(report_file_id):
        return
    report_file = ReportFile.objects.select_related("requested_by").get(pk=report_file_id)
    try:
        background.make(report_file)
    except Exception:
        logger.exception("Report file %s failed", report_file_id)
        report_file.fail(
            "Отчёт не удалось сформировать. Попробуйте ещё раз или сообщите администратору."
        )
        raise


def prune_expired_files():
    """Remove expired report files with their rows; returns how many (a periodic job)."""
    removed = 0
    for report_file in ReportFile.objects.expired().iterator():
        report_file.delete()
        removed += 1
    return removed


@task()
def prune_report_files():
    """`prune_expired_files` as a task."""
    return prune_expired_files()
