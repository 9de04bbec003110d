"""Work that takes longer than a request: a big report, a big import.

Such work is a row the request creates (a model built on `BackgroundWork`) and a task of Django's
Tasks API that a worker runs (`manage.py db_worker` with the database backend, `manage.py
rqworker` with Redis). The row is what the person sees: its status and progress, polled by the
page that waits for it. The task is enqueued only after the request's transaction commits, so a
worker on another machine never looks for a row that is not there yet.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string


def enqueue_after_commit(task, *args, **kwargs):
    """Enqueue the task once the current transaction commits (at once outside one). `task` is a
    task or its dotted path: what a worker runs imports the code that enqueues it (the flow of an
    import, the making of a report), so that code names its task instead of importing it."""
    if isinstance(task, str):
        task = import_string(task)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def stale_after():
    """How long work may go without progress before it counts as abandoned: RQ stops a task at
    `TASK_TIMEOUT_SECONDS`, and a minute more covers a worker that is just slow to report."""
    return timedelta(seconds=settings.TASK_TIMEOUT_SECONDS + 60)


class BackgroundWorkQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=[BackgroundWork.Status.QUEUED, BackgroundWork.Status.RUNNING])

    def stale(self, now=None):
        """Work still waiting or running with no progress for longer than `stale_after()`: its
        worker was killed (a deploy, out of memory) or never came."""
        now = now or timezone.now()
        return self.pending().filter(progressed_at__lt=now - stale_after())

    def end_stale(self, now=None):
        """End abandoned work as failed, with the message a person can act on; returns how
        many. A conditional update, so work that progressed meanwhile is left alone."""
        now = now or timezone.now()
        return self.stale(now).update(
            status=BackgroundWork.Status.FAILED,
            error=self.model.STALE_MESSAGE,
            finished_at=now,
        )


class BackgroundWork(models.Model):
    """What one piece of background work has got to: queued, running (with a share done and the
    stage it is at), ready or failed (with the message a person can act on). Progress is written
    with `update()`, outside any transaction of the worker, so the waiting page sees it as it
    happens."""

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        RUNNING = "running", "выполняется"
        READY = "ready", "готово"
        FAILED = "failed", "ошибка"

    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField("выполнено, %", default=0)
    stage = models.CharField("этап", max_length=200, blank=True)
    error = models.TextField("ошибка", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="кто запросил",
    )
    created_at = models.DateTimeField("запрошено", auto_now_add=True)
    # Written with every change of progress; work without progress past `stale_after()` is
    # ended as failed (`end_stale`), so nobody waits for a worker that is gone.
    progressed_at = models.DateTimeField("последний ход", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)

    STALE_MESSAGE = "Обработка прервана, запросите её ещё раз."

    objects = BackgroundWorkQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @classmethod
    def claim(cls, pk):
        """Take waiting work for this worker: True once, for one worker, however many runs of
        its task there are."""
        return bool(
            cls.objects.filter(pk=pk, status=cls.Status.QUEUED).update(
                status=cls.Status.RUNNING, progressed_at=timezone.now()
            )
        )

    def end_if_stale(self):
        """Seen by the page that polls it: abandoned work ends here as failed, not only at the
        next housekeeping."""
        if self.is_pending and type(self).objects.filter(pk=self.pk).end_stale():
            self.refresh_from_db()
        return self

    def advance(self, progress, stage):
        """Record how far the work has got; the page that waits shows it on its next poll."""
        self.progress, self.stage, self.status = progress, stage, self.Status.RUNNING
        self.progressed_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            progress=progress,
            stage=stage,
            status=self.Status.RUNNING,
            progressed_at=self.progressed_at,
        )

    def succeed(self, **fields):
        """Mark the work ready, saving the fields it produced (a file, a summary)."""
        for name, value in fields.items():
            setattr(self, name, value)
        self.status, self.progress, self.stage = self.Status.READY, 100, "готово"
        self.finished_at = self.progressed_at = timezone.now()
        self.save()

    def fail(self, message):
        self.status, self.error, self.finished_at = self.Status.FAILED, message, timezone.now()
        self.progressed_at = self.finished_at
        type(self).objects.filter(pk=self.pk).update(
            status=self.status,
            error=message,
            finished_at=self.finished_at,
            progressed_at=self.finished_at,
        )


def background_models():
    """Every kind of background work of the project (the concrete models built on
    `BackgroundWork`), found without core naming the apps that define them."""
    return [model for model in apps.get_models() if issubclass(model, BackgroundWork)]


def end_stale_work(now=None):
    """End every abandoned piece of background work and the task results its workers left
    running (the database queue; RQ moves a dead worker's jobs to its failed registry itself).
    Returns how many pieces of work were ended."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    ended = sum(model.objects.end_stale(now) for model in background_models())
    DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - stale_after()).update(
        status="FAILED", finished_at=now
    )
    return ended
