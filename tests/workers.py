"""Background workers run inside a test: the real worker of each task backend takes the task
from its queue (the database or Redis) and runs it in this process, so it sees the test's data.

`task_backend` is the database backend always and, when REDIS_URL is set, RQ on that Redis; each
xdist process uses its own Redis database so parallel runs never take each other's jobs."""

import io
import os
from unittest import mock

import pytest
from django.core.management import call_command

DATABASE = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
RQ = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}


def run_database_worker():
    """`manage.py db_worker --batch`: every waiting task, then exit. The worker closes stale
    connections between tasks; inside a test that would close the test's own transaction, so it
    is kept open here, as Django's test client does for requests. The periodic jobs it would
    register at its start are left out, as the RQ worker below leaves them: a test queues what
    it runs (tests/core/test_periodic.py registers them itself)."""
    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch("core.periodic.register"),
    ):
        _db_worker()


def _db_worker():
    call_command(
        "db_worker",
        batch=True,
        startup_delay=False,
        reload=False,
        interval=0,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def run_rq_worker():
    """`manage.py rqworker --burst` with the tasks' job class, in this process. The worker's
    command channel (a pub/sub thread waiting up to 60 s for a message) is left out: closing it
    at the end of a burst can wait out that minute, and a burst in a test takes no commands."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    class BurstWorker(SimpleWorker):
        def subscribe(self):
            pass

        def unsubscribe(self):
            pass

    worker = django_rq.get_worker("default", worker_class=BurstWorker, job_class=Job)
    worker.work(burst=True)


def _redis_database():
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(name.removeprefix("gw") or 0) if name.startswith("gw") else 0
    return 1 + number % 15


@pytest.fixture(params=["database", "rq"])
def task_backend(request, settings):
    """The function that runs the worker of the backend under test."""
    if request.param == "rq":
        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("REDIS_URL не задан: задачи через Redis не проверяются")
        import django_rq

        base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
        settings.RQ_QUEUES = {"default": {"URL": f"{base}/{_redis_database()}"}}
        settings.TASKS = {"default": RQ}
        django_rq.get_queue("default").empty()
        return run_rq_worker
    settings.TASKS = {"default": DATABASE}
    return run_database_worker
