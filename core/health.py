"""`/health/` for load balancers and monitoring (django-health-check).

It answers 200 when the database, the cache, the file storage, the task queue and its workers
are well, 503 otherwise, as JSON naming each check and its state — never anything about people.
It needs no sign-in, is answered before the host and HTTPS checks (`HealthMiddleware`), so a
balancer may probe each server by its own address over plain http.
"""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from health_check.backends import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from .background import background_models

HEALTH_PATH = "/health/"


@dataclasses.dataclass
class RedisQueue(HealthCheck):
    """The Redis of the RQ queue answers."""

    def check_status(self):
        import django_rq
        from redis.exceptions import RedisError

        try:
            django_rq.get_connection("default").ping()
        except (RedisError, OSError) as error:
            raise ServiceUnavailable("Redis очереди задач недоступен") from error

    def __repr__(self):
        return "RedisQueue"


def oldest_waiting(now):
    """When the oldest task still waiting for a worker was due, over the queue of the task
    backend and the background work (reports, imports) waiting for one; None when none waits."""
    due = []
    for model in background_models():
        first = (
            model.objects.filter(status=model.Status.QUEUED)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if first is not None:
            due.append(first)
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        first = (
            DBTaskResult.objects.filter(status="READY", run_after__lte=now)
            .order_by("run_after")
            .values_list("run_after", flat=True)
            .first()
        )
        if first is not None:
            due.append(first)
    elif settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
        import django_rq

        queue = django_rq.get_queue("default")
        job_id = queue.get_job_ids(0, 1)
        job = queue.fetch_job(job_id[0]) if job_id else None
        if job is not None and job.enqueued_at is not None:
            enqueued = job.enqueued_at
            due.append(enqueued if timezone.is_aware(enqueued) else timezone.make_aware(enqueued))
    return min(due) if due else None


@dataclasses.dataclass
class OldestQueuedJob(HealthCheck):
    """No task has waited for a worker longer than `HEALTH_QUEUE_SECONDS`: the workers are
    running and keep up."""

    def check_status(self):
        now = timezone.now()
        oldest = oldest_waiting(now)
        if oldest is None:
            return
        waited = now - oldest
        if waited > timedelta(seconds=settings.HEALTH_QUEUE_SECONDS):
            raise ServiceUnavailable(
                f"задача ждёт исполнителя {int(waited.total_seconds())} с "
                f"(допустимо {settings.HEALTH_QUEUE_SECONDS} с)"
            )

    def __repr__(self):
        return "OldestQueuedJob"


def checks():
    found = [
        ("health_check.Database", {}),
        ("health_check.Cache", {"cache_key": None}),
        ("health_check.Storage", {}),
    ]
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
        found.append((RedisQueue, {}))
    found.append((OldestQueuedJob, {}))
    return found


class HealthView(HealthCheckView):
    # One after the other: a probe is cheap, and threads would each open a connection.
    use_threading = False

    @property
    def checks(self):
        return checks()

    def get(self, request, *args, **kwargs):
        failed = self.check()
        return JsonResponse(
            {
                "status": "fail" if failed else "ok",
                "checks": {name: str(p.pretty_status()) for name, p in self.plugins.items()},
            },
            status=503 if failed else 200,
            json_dumps_params={"ensure_ascii": False},
        )


health = never_cache(HealthView.as_view())


class HealthMiddleware:
    """Answers `/health/` before anything else looks at the request: a balancer probes each
    server by its own address (not in ALLOWED_HOSTS) and over plain http (no redirect to
    https), and needs no session or sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
