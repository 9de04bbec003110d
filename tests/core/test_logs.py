"""Logs and errors: plain text with timestamps by default, one JSON object per line with
LOG_FORMAT=json (time, level, logger, request id, user id, path), gunicorn's access log in the
same shape, server errors by mail to ADMINS unless SENTRY_DSN hands them to sentry-sdk."""

import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core import mail
from django.test import Client
from django.urls import path

from core.logs import JsonFormatter, RequestContextFilter
from tests.test_settings import ROOT, manage

pytestmark = pytest.mark.django_db


@login_not_required
def broken(request):
    raise RuntimeError("сломалось")


urlpatterns = [path("broken/", broken)]


@pytest.fixture
def json_lines():
    """What the `django.request` logger writes through the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_a_json_line_names_the_request_the_user_and_the_path(world, as_user, json_lines):
    client = as_user(world.coordinator)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    (line,) = [entry for entry in json_lines() if entry["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["path"] == "/no-such-page/"
    assert line["user_id"] == world.coordinator.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert line["time"]


def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client):
    given = client.get("/accounts/login/", HTTP_X_REQUEST_ID="abc123def456")
    assert given["X-Request-ID"] == "abc123def456"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="a b\nc")
    assert forged["X-Request-ID"] != "a b\nc"
    assert len(forged["X-Request-ID"]) == 32


def test_plain_text_has_timestamps_and_json_is_one_object_per_line():
    code = "import logging; logging.getLogger('portal.test').warning('проверка журнала')"
    base = {"DATABASE_URL": "sqlite:///:memory:"}
    text = manage("shell", "-c", code, env={**base, "LOG_FORMAT": "text"})
    assert text.returncode == 0, text.stderr
    assert text.stderr.strip().startswith(time.strftime("%Y-"))
    assert "WARNING portal.test" in text.stderr
    as_json = manage("shell", "-c", code, env={**base, "LOG_FORMAT": "json"})
    line = json.loads(as_json.stderr.strip().splitlines()[-1])
    assert line["message"] == "проверка журнала"
    assert line["level"] == "WARNING"
    assert line["logger"] == "portal.test"
    assert {"time", "request_id", "user_id", "path"} <= set(line)


def test_a_server_error_goes_to_admins_by_mail(settings):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Дежурный", "ops@example.ru")]
    client = Client(raise_request_exception=False)
    assert client.get("/broken/").status_code == 500
    assert [m.to for m in mail.outbox] == [["ops@example.ru"]]
    assert "сломалось" in mail.outbox[0].body


def test_sentry_takes_the_errors_when_its_dsn_is_set():
    code = (
        "import logging, sentry_sdk; "
        "print(sentry_sdk.get_client().is_active(), "
        "[type(h).__name__ for h in logging.getLogger('django').handlers])"
    )
    base = {"DATABASE_URL": "sqlite:///:memory:"}
    with_sentry = manage(
        "shell", "--no-imports", "-c", code, env={**base, "SENTRY_DSN": "http://k@127.0.0.1:9/1"}
    )
    assert with_sentry.stdout.strip() == "True []", with_sentry.stderr
    without = manage("shell", "--no-imports", "-c", code, env={**base, "SENTRY_DSN": ""})
    assert without.stdout.strip() == "False ['AdminEmailHandler']", without.stderr


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorns_access_log_has_the_same_shape():
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "LOG_FORMAT": "json",
        "DATABASE_URL": "sqlite:///:memory:",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as answer:
                    request_id = answer.headers["X-Request-ID"]
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    lines = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    (access,) = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert access["request_id"] == request_id
    assert access["path"] == "/accounts/login/"
    assert access["status"] == 200
    assert access["method"] == "GET"
    assert access["user_id"] is None
    assert {"time", "level", "duration_ms", "bytes"} <= set(access)
