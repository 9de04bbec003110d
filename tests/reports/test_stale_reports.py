"""A report whose worker was killed (a deploy, out of memory) never hangs: with no progress
past `TASK_TIMEOUT_SECONDS` + 60 s it ends as failed, when its page is polled and by
housekeeping, and the same report can be asked again at once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    settings.REPORT_BACKGROUND_SCHOOLS = 0
    settings.REPORT_BACKGROUND_ROWS = 0
    settings.TASK_TIMEOUT_SECONDS = 600


def ask(client, capture, program):
    with capture(execute=False):
        return client.get(reverse("reports:report_pdf", args=["passport", program.pk]))


def abandon(report_file, seconds):
    """As if its worker stopped reporting `seconds` ago."""
    ReportFile.objects.filter(pk=report_file.pk).update(
        status=ReportFile.Status.RUNNING,
        progress=30,
        progressed_at=timezone.now() - datetime.timedelta(seconds=seconds),
    )


def test_a_report_without_progress_past_its_bound_fails_when_polled(
    world, as_user, large, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    ask(client, django_capture_on_commit_callbacks, world.program)
    report_file = ReportFile.objects.get()
    abandon(report_file, 600 + 50)
    page = client.get(reverse("reports:file", args=[report_file.pk])).content.decode()
    assert "Отчёт формируется" in page  # still within its bound
    abandon(report_file, 600 + 70)
    page = client.get(reverse("reports:file", args=[report_file.pk])).content.decode()
    assert "Обработка прервана, запросите отчёт ещё раз." in page
    assert 'hx-trigger="every 2s"' not in page
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.FAILED


def test_an_abandoned_report_never_blocks_asking_again(
    world, as_user, large, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    first = ask(client, django_capture_on_commit_callbacks, world.program)
    abandon(ReportFile.objects.get(), 600 + 70)
    second = ask(client, django_capture_on_commit_callbacks, world.program)
    assert second.url != first.url
    assert ReportFile.objects.filter(status=ReportFile.Status.QUEUED).count() == 1
    assert ReportFile.objects.filter(status=ReportFile.Status.FAILED).count() == 1


def test_housekeeping_ends_abandoned_reports_and_leaves_live_ones(
    world, as_user, large, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from reports.tasks import make_report_file

    ask(as_user(world.coordinator), django_capture_on_commit_callbacks, world.program)
    ask(as_user(world.people["region"]), django_capture_on_commit_callbacks, world.program)
    gone, alive = ReportFile.objects.order_by("created_at")
    abandon(gone, 600 + 70)
    abandon(alive, 30)
    # The worker of the database queue was killed while running the task: its result too.
    result = make_report_file.enqueue(str(gone.pk))
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(seconds=700)
    )
    call_command("housekeeping", stdout=io.StringIO())
    gone.refresh_from_db()
    alive.refresh_from_db()
    assert gone.status == ReportFile.Status.FAILED
    assert gone.error == "Обработка прервана, запросите отчёт ещё раз."
    assert alive.status == ReportFile.Status.RUNNING
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"


def test_a_late_worker_does_not_run_an_ended_report(
    world, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:report_pdf", args=["passport", world.program.pk]))
    report_file = ReportFile.objects.get()
    ReportFile.objects.filter(pk=report_file.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(seconds=700)
    )
    call_command("housekeeping", stdout=io.StringIO())
    task_backend()
    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.FAILED
    assert not report_file.file
