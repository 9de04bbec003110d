"""Notification rounds as background work (Django's Tasks API), for a deployment whose workers
should keep notices going without cron: a round that, when asked, puts the next one in the queue
`every_minutes` later. Rounds derive everything from the data and claim each letter, so a round
run twice — by cron and the worker, or by two workers — still sends nothing twice."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from .service import run_round


@task()
def notification_round(every_minutes=None):
    """One round (`notices.service.run_round`); with `every_minutes`, the next round is queued
    to run that many minutes from now. Returns the round's figures."""
    created, sent, failed = run_round()
    if every_minutes:
        if not default_task_backend.supports_defer:
            raise RuntimeError("The task backend cannot run a task later; use cron instead.")
        later = timezone.now() + timedelta(minutes=every_minutes)
        notification_round.using(run_after=later).enqueue(every_minutes=every_minutes)
    return {"created": created, "sent": sent, "failed": failed}
