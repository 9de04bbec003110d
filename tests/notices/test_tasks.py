"""The notification round as a periodic background task, run by the real worker of each task
backend."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notices.models import Kind, Notification
from notices.tasks import notification_round
from tests import factories as f
from tests.workers import task_backend  # noqa: F401


@pytest.fixture
def no_scheduled_rounds(settings):
    """Redis outlives a test: rounds scheduled by one must never run in a later test."""
    yield
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        import django_rq

        registry = django_rq.get_queue("default").scheduled_job_registry
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


@pytest.mark.django_db
def test_the_workers_run_the_declared_round_once_per_period(
    people,
    task_backend,  # noqa: F811
    settings,
    no_scheduled_rounds,
):
    from core import periodic

    settings.PERIODIC_TASKS = {
        name: spec for name, spec in settings.PERIODIC_TASKS.items() if name == "notification_round"
    }
    event = f.EventFactory(
        program=people.program, title="Вебинар", starts_at=timezone.now() + timedelta(days=10)
    )
    event.invited.add(people.supported_school)
    # Two workers start: one first run is queued.
    assert periodic.register() == ["notification_round"]
    assert periodic.register() == []
    task_backend()
    assert Notification.objects.filter(kind=Kind.EVENT_INVITATION).exists()
    assert [m.to[0] for m in mail.outbox] == ["school@example.ru"]
    # The next round waits its period: a worker run now leaves it in the queue.
    assert waiting_rounds(settings) == 1
    task_backend()
    assert waiting_rounds(settings) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_round_queued_by_hand_runs_once(
    people,
    task_backend,  # noqa: F811
):
    event = f.EventFactory(
        program=people.program, title="Вебинар", starts_at=timezone.now() + timedelta(days=10)
    )
    event.invited.add(people.supported_school)
    result = notification_round.enqueue()
    task_backend()
    finished = notification_round.get_backend().get_result(result.id)
    assert finished.status.name == "SUCCESSFUL"
    assert [m.to[0] for m in mail.outbox] == ["school@example.ru"]


def waiting_rounds(settings):
    """Periodic runs queued to run later, in the backend under test."""
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            task_path="core.tasks.periodic_run",
            status="READY",
            run_after__gt=timezone.now(),
        ).count()
    import django_rq

    return django_rq.get_queue("default").scheduled_job_registry.count
