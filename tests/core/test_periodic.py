"""Periodic work: declared once in settings, registered by every worker at its start without
doubling, run by the real worker of each task backend once per period, never beside itself,
and a failing round does not stop the next. Abandoned import jobs end as failed too."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import periodic
from core.models import ImportJob, PeriodicRun

pytestmark = pytest.mark.django_db

CALLS = []


def counted_round():
    CALLS.append(timezone.now())


def broken_round():
    CALLS.append(timezone.now())
    raise RuntimeError("почтовый сервер не ответил")


@pytest.fixture
def job(settings, task_backend, no_scheduled_runs):
    CALLS.clear()
    settings.PERIODIC_TASKS = {
        "round": {"function": "tests.core.test_periodic.counted_round", "minutes": 5}
    }
    return task_backend


@pytest.fixture
def no_scheduled_runs(settings):
    """Redis outlives a test: runs scheduled by one must never run in a later test."""
    yield
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        import django_rq

        queue = django_rq.get_queue("default")
        for registry in (queue.scheduled_job_registry,):
            for job_id in registry.get_job_ids():
                registry.remove(job_id, delete_job=True)
        queue.empty()


def waiting_runs(settings):
    """Runs of periodic jobs queued in the backend under test, due now or later."""
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            task_path="core.tasks.periodic_run", status="READY"
        ).count()
    import django_rq

    queue = django_rq.get_queue("default")
    return queue.count + queue.scheduled_job_registry.count


def test_registering_twice_queues_one_run_and_the_worker_runs_it(job, settings):
    assert periodic.register() == ["round"]
    assert periodic.register() == []
    assert waiting_runs(settings) == 1
    first_due = PeriodicRun.objects.get(name="round").due_at
    job()
    assert len(CALLS) == 1
    run = PeriodicRun.objects.get(name="round")
    assert run.started_at and run.finished_at and not run.error
    # The next run waits its five minutes from the one that ran (a slow worker does not move it
    # earlier): a worker run now leaves it queued.
    assert run.due_at == first_due + datetime.timedelta(minutes=5)
    assert run.due_at > timezone.now()
    assert waiting_runs(settings) == 1
    job()
    assert len(CALLS) == 1


def test_two_runs_of_one_period_make_one_round(job):
    periodic.register()
    due = PeriodicRun.objects.get(name="round").due_at.isoformat()
    # Two workers took the same run (a retried job, a second chain): only one claims it.
    assert periodic.run("round", due) == "done"
    assert periodic.run("round", due) == "stray"
    assert len(CALLS) == 1


def test_a_round_still_running_is_not_started_again(job):
    periodic.register()
    due = PeriodicRun.objects.get(name="round").due_at.isoformat()
    with periodic.exclusive("periodic:round") as taken:
        assert taken
        assert periodic.run("round", due) == "busy"
    assert CALLS == []
    # Its place in the chain moved on: the next period runs.
    following = PeriodicRun.objects.get(name="round").due_at.isoformat()
    assert periodic.run("round", following) == "done"
    assert len(CALLS) == 1


def test_a_lock_of_a_killed_holder_lapses():
    with periodic.exclusive("x", seconds=60) as taken:
        assert taken
    from core.models import Lock

    Lock.objects.filter(name="x").update(
        holder="dead", held_until=timezone.now() + datetime.timedelta(seconds=60)
    )
    with periodic.exclusive("x") as taken:
        assert not taken
    Lock.objects.filter(name="x").update(held_until=timezone.now() - datetime.timedelta(seconds=1))
    with periodic.exclusive("x") as taken:
        assert taken


def test_a_failing_round_does_not_stop_the_next(job, settings):
    settings.PERIODIC_TASKS = {
        "round": {"function": "tests.core.test_periodic.broken_round", "minutes": 5}
    }
    periodic.register()
    job()
    run = PeriodicRun.objects.get(name="round")
    assert len(CALLS) == 1
    assert "почтовый сервер не ответил" in run.error
    assert waiting_runs(settings) == 1
    # The next period's run is the next round, failing or not.
    with pytest.raises(RuntimeError):
        periodic.run("round", run.due_at.isoformat())
    assert len(CALLS) == 2


def test_a_chain_long_overdue_is_registered_again(job, settings):
    periodic.register()
    PeriodicRun.objects.filter(name="round").update(
        due_at=timezone.now() - datetime.timedelta(hours=3)
    )
    assert periodic.register() == ["round"]


def test_the_worker_commands_register_the_declared_jobs(settings, monkeypatch):
    registered = []
    monkeypatch.setattr(periodic, "register", lambda: registered.append(True))
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.Command.handle", lambda *a, **k: None
    )
    monkeypatch.setattr(
        "django_rq.management.commands.rqworker.Command.handle", lambda *a, **k: None
    )
    call_command("db_worker", batch=True, stdout=io.StringIO())
    call_command("rqworker", "default", stdout=io.StringIO())
    assert registered == [True, True]


def test_the_settings_declare_the_notification_round_and_housekeeping():
    from django.conf import settings

    assert settings.PERIODIC_TASKS["notification_round"]["function"] == (
        "notices.tasks.periodic_round"
    )
    assert "housekeeping" in settings.PERIODIC_TASKS


def test_an_abandoned_import_ends_as_failed_and_a_live_one_stays(world, settings):
    settings.TASK_TIMEOUT_SECONDS = 600
    gone = ImportJob.objects.create(
        kind="values", token="gone", requested_by=world.coordinator, content=b"PK"
    )
    alive = ImportJob.objects.create(kind="values", token="alive", requested_by=world.coordinator)
    ImportJob.objects.filter(pk=gone.pk).update(
        status=ImportJob.Status.RUNNING,
        progressed_at=timezone.now() - datetime.timedelta(seconds=661),
    )
    ImportJob.objects.filter(pk=alive.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(seconds=659)
    )
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    gone.refresh_from_db()
    alive.refresh_from_db()
    assert gone.status == ImportJob.Status.FAILED
    assert "загрузите его ещё раз" in gone.error
    assert alive.status == ImportJob.Status.QUEUED
    assert "прерванных фоновых работ: 1" in out.getvalue()
    # Progress keeps work alive: the same job, advanced, is no longer stale.
    ImportJob.objects.filter(pk=alive.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(seconds=700)
    )
    alive.advance(50, "запись")
    assert alive.end_if_stale().status == ImportJob.Status.RUNNING


def test_the_rq_worker_takes_over_a_dead_scheduler_within_minutes(monkeypatch):
    """RQ starts the scheduler of a dead worker only at another worker's maintenance (every ten
    minutes by default); the portal's worker has it every minute."""
    from core.workers import Worker

    chosen = {}
    monkeypatch.setattr(
        "django_rq.management.commands.rqworker.Command.handle",
        lambda self, *a, **options: chosen.update(options),
    )
    monkeypatch.setattr(periodic, "register", lambda: None)
    call_command("rqworker", "default", stdout=io.StringIO())
    assert chosen["worker_class"] == "core.workers.Worker"

    import redis

    worker = Worker(["default"], connection=redis.Redis())
    assert worker.maintenance_interval == 60
