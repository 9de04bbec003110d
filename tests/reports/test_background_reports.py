"""A report too large for a request is made by a worker: the download answers at once with a
page that shows progress, and offers the file, to the person who asked only, until it expires."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportFile

from .reporting import pdf_text, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    """Every program counts as large: its reports go to the background."""
    settings.REPORT_BACKGROUND_SCHOOLS = 0
    settings.REPORT_BACKGROUND_ROWS = 0


def ask(client, capture, slug, subject, fmt):
    with capture(execute=True):
        return client.get(reverse(f"reports:report_{fmt}", args=[slug, subject.pk]))


def test_a_large_report_is_made_by_a_worker_and_offered_when_ready(
    world, filled, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    response = ask(client, django_capture_on_commit_callbacks, "passport", world.program, "pdf")
    report_file = ReportFile.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:file", args=[report_file.pk])
    waiting = client.get(response.url).content.decode()
    assert "Отчёт формируется: в очереди" in waiting
    assert 'hx-trigger="every 2s"' in waiting

    task_backend()

    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY
    assert report_file.progress == 100
    ready = client.get(reverse("reports:file", args=[report_file.pk])).content.decode()
    assert "Файл готов" in ready
    assert 'hx-trigger="every 2s"' not in ready
    download = client.get(reverse("reports:file_download", args=[report_file.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert world.program.title in pdf_text(content)


def test_a_workbook_is_made_the_same_way(
    world, filled, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    ask(client, django_capture_on_commit_callbacks, "note", filled.points.spring, "xlsx")
    task_backend()
    report_file = ReportFile.objects.get()
    download = client.get(reverse("reports:file_download", args=[report_file.pk]))
    book = workbook(b"".join(download.streaming_content))
    assert book.sheetnames


def test_asking_again_while_it_is_made_points_to_the_same_file(
    world, filled, as_user, large, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    first = ask(client, django_capture_on_commit_callbacks, "passport", world.program, "pdf")
    second = ask(client, django_capture_on_commit_callbacks, "passport", world.program, "pdf")
    assert first.url == second.url
    assert ReportFile.objects.count() == 1


@pytest.mark.parametrize("person", ["region", "other_coordinator", "outsider"])
def test_the_file_is_only_for_the_person_who_asked(
    world, filled, as_user, large, person, django_capture_on_commit_callbacks
):
    ask(
        as_user(world.coordinator),
        django_capture_on_commit_callbacks,
        "passport",
        world.program,
        "pdf",
    )
    report_file = ReportFile.objects.get()
    client = as_user(world.people[person])
    assert client.get(reverse("reports:file", args=[report_file.pk])).status_code == 404
    assert client.get(reverse("reports:file_download", args=[report_file.pk])).status_code == 404


def test_a_file_waits_for_nothing_when_its_subject_went_out_of_reach(
    world, filled, as_user, large, django_capture_on_commit_callbacks
):
    ask(
        as_user(world.school),
        django_capture_on_commit_callbacks,
        "school",
        world.supported_school,
        "pdf",
    )
    report_file = ReportFile.objects.get()
    world.school.memberships.all().delete()
    client = as_user(world.school)
    assert client.get(reverse("reports:file", args=[report_file.pk])).status_code == 404


def test_a_failed_report_says_so_and_offers_to_try_again(
    world, filled, as_user, large, task_backend, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report):
        raise RuntimeError("layout failed")

    monkeypatch.setattr("reports.pdf.render_pdf", broken)
    client = as_user(world.coordinator)
    ask(client, django_capture_on_commit_callbacks, "passport", world.program, "pdf")
    task_backend()
    report_file = ReportFile.objects.get()
    assert report_file.status == ReportFile.Status.FAILED
    page = client.get(reverse("reports:file", args=[report_file.pk])).content.decode()
    assert "Отчёт не удалось сформировать" in page
    assert "Попробовать ещё раз" in page
    # Asking again makes a new file rather than pointing to the failed one.
    ask(client, django_capture_on_commit_callbacks, "passport", world.program, "pdf")
    assert ReportFile.objects.count() == 2


def test_an_expired_file_is_gone_and_pruned(
    world, filled, as_user, large, task_backend, django_capture_on_commit_callbacks
):
    client = as_user(world.coordinator)
    ask(client, django_capture_on_commit_callbacks, "passport", world.program, "pdf")
    task_backend()
    report_file = ReportFile.objects.get()
    stored = report_file.file.path
    ReportFile.objects.update(expires_at=timezone.now())
    page = client.get(reverse("reports:file", args=[report_file.pk]))
    assert page.status_code == 410
    assert "Сформировать заново" in page.content.decode()
    download = client.get(reverse("reports:file_download", args=[report_file.pk]))
    assert download.status_code == 302
    call_command("prune_report_files", stdout=__import__("io").StringIO())
    assert not ReportFile.objects.exists()
    assert not __import__("os").path.exists(stored)


def test_the_page_of_a_large_report_offers_the_files_instead_of_hundreds_of_pages(
    world, filled, as_user, large
):
    page = as_user(world.coordinator).get(
        reverse("reports:report", args=["passport", world.program.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "формируются в фоне" in text
    assert "report-head" not in text


def test_a_small_report_is_still_made_inside_the_request(world, filled, as_user):
    response = as_user(world.coordinator).get(
        reverse("reports:report_pdf", args=["passport", world.program.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert not ReportFile.objects.exists()
