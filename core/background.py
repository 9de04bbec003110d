"""Work that takes longer than a request: a big report, a big import.

Such work is a row the request creates (a model built on `BackgroundWork`) and a task of Django's
Tasks API that a worker runs (`manage.py db_worker` with the database backend, `manage.py
rqworker` with Redis). The row is what the person sees: its status and progress, polled by the
page that waits for it. The task is enqueued only after the request's transaction commits, so a
worker on another machine never looks for a row that is not there yet.
"""

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
    finished_at = models.DateTimeField("завершено", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def advance(self, progress, stage):
        """Record how far the work has got; the page that waits shows it on its next poll."""
        self.progress, self.stage, self.status = progress, stage, self.Status.RUNNING
        type(self).objects.filter(pk=self.pk).update(
            progress=progress, stage=stage, status=self.Status.RUNNING
        )

    def succeed(self, **fields):
        """Mark the work ready, saving the fields it produced (a file, a summary)."""
        for name, value in fields.items():
            setattr(self, name, value)
        self.status, self.progress, self.stage = self.Status.READY, 100, "готово"
        self.finished_at = timezone.now()
        self.save()

    def fail(self, message):
        self.status, self.error, self.finished_at = self.Status.FAILED, message, timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            status=self.status, error=message, finished_at=self.finished_at
        )
