"""`/health/` for load balancers: anonymous, by the server's own address over plain http, 200
when everything answers and 503 when the workers leave the queue waiting; no data about
people. The production check runs under its own tag only."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def probe(client, **extra):
    response = client.get("/health/", **extra)
    return response, json.loads(response.content)


def test_health_answers_anonymously_with_each_check(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    response, body = probe(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    names = " ".join(body["checks"])
    for check in ("Database", "Cache", "Storage", "OldestQueuedJob"):
        assert check in names
    assert set(body["checks"].values()) == {"OK"}
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_a_probe_by_the_servers_address_over_http_is_answered_in_production(
    client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.ru"]
    assert client.get("/", HTTP_HOST="portal.example.ru").status_code == 301
    response, body = probe(client, HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert body["status"] == "ok"


def test_a_task_left_waiting_by_the_workers_fails_the_probe(world, client, tmp_path, settings):
    from reports.models import ReportFile

    settings.MEDIA_ROOT = tmp_path
    settings.HEALTH_QUEUE_SECONDS = 600
    waiting = ReportFile.objects.create(
        kind="passport", subject_id=world.program.pk, fmt="pdf", requested_by=world.coordinator
    )
    ReportFile.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=590)
    )
    assert probe(client)[0].status_code == 200
    ReportFile.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=700)
    )
    response, body = probe(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert "задача ждёт исполнителя" in body["checks"]["OldestQueuedJob"]
    text = response.content.decode()
    for private in (world.coordinator.username, world.program.title, str(waiting.pk)):
        assert private not in text


def test_a_task_of_the_database_queue_counts_too(client, tmp_path, settings):
    from django_tasks_db.models import DBTaskResult

    from reports.tasks import prune_report_files

    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    result = prune_report_files.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        run_after=timezone.now() - datetime.timedelta(hours=1)
    )
    assert probe(client)[0].status_code == 503


def test_a_failing_database_check_answers_503(client, tmp_path, settings, monkeypatch):
    from health_check.exceptions import ServiceUnavailable

    def down(self):
        raise ServiceUnavailable("нет соединения")

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        "health_check.contrib.db_heartbeat.backends.DatabaseHeartBeatCheck.check_status", down
    )
    response, body = probe(client)
    assert response.status_code == 503


COMPLETE = {
    **PRODUCTION,
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.ru:587",
    "PORTAL_URL": "https://portal.example.ru",
    "DEFAULT_FROM_EMAIL": "portal@example.ru",
    "ADMINS": "Дежурный <ops@example.ru>",
}


@pytest.mark.django_db(transaction=False)
def test_the_production_check_has_its_own_tag():
    incomplete = manage("check", "--deploy", "--tag", "production", env=PRODUCTION)
    assert incomplete.returncode != 0
    assert "portal.E002" in incomplete.stderr + incomplete.stdout
    assert "portal.E004" in incomplete.stderr + incomplete.stdout
    complete = manage(
        "check", "--deploy", "--tag", "production", "--fail-level", "WARNING", env=COMPLETE
    )
    assert complete.returncode == 0, complete.stdout + complete.stderr
    assert "no issues" in complete.stdout
