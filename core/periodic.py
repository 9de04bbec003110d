"""Periodic work (the notification round, housekeeping) run by the background workers.

Each job is declared once, in `settings.PERIODIC_TASKS` (name → the dotted path of a function
and its period in minutes). A job is a chain of runs of one task, `core.tasks.periodic_run`,
each queued with `run_after` for its time: the database queue runs it then, and RQ's scheduler
(`rqworker --with-scheduler`) moves it into the queue then, so both backends keep the same
rounds. Every worker registers the chains when it starts (`register`): a chain whose next run is
long overdue (all workers were down, Redis lost its queue) gets a new first run, any other is
left alone, so two workers starting at once queue one run.

A run claims its place in the chain (`PeriodicRun.due_at`, a conditional update), queues the
next run before doing any work — a worker killed in the middle of a round never breaks the
chain — and does its round under the job's lock (`exclusive`), so a round that outlasts its
period is never started again beside itself. A failing round is logged and recorded; the next
one is already queued.
"""

import logging
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .background import stale_after
from .models import Lock, PeriodicRun

logger = logging.getLogger(__name__)


@contextmanager
def exclusive(name, seconds=None):
    """Hold the lock `name` across every machine while the block runs; yields whether it was
    taken (False: someone else holds it). The lock lapses after `seconds` (by default the
    bound of background work), so a holder that was killed never keeps it for ever."""
    now = timezone.now()
    holder = uuid.uuid4().hex
    until = now + (timedelta(seconds=seconds) if seconds else stale_after())
    Lock.objects.bulk_create([Lock(name=name)], ignore_conflicts=True)
    taken = bool(
        Lock.objects.filter(name=name)
        .filter(Q(held_until__isnull=True) | Q(held_until__lte=now))
        .update(holder=holder, held_until=until)
    )
    try:
        yield taken
    finally:
        if taken:
            Lock.objects.filter(name=name, holder=holder).update(holder="", held_until=None)


def period(name):
    return timedelta(minutes=settings.PERIODIC_TASKS[name]["minutes"])


def _enqueue(name, due, later=True):
    """Queue the run of `name` due at `due`; `later`: held back until then (by RQ's scheduler,
    or the database queue's `run_after`), else ready at once."""
    # Named by its path: the task module imports this one.
    periodic_run = import_string("core.tasks.periodic_run")

    task = periodic_run.using(run_after=due) if later else periodic_run
    task.enqueue(name, due.isoformat())


def register(now=None):
    """Queue the first run of every declared job whose chain is not alive; safe to call from
    every worker at every start. Returns the names of the jobs queued."""
    now = now or timezone.now()
    queued = []
    for name in settings.PERIODIC_TASKS:
        PeriodicRun.objects.bulk_create([PeriodicRun(name=name)], ignore_conflicts=True)
        # A live chain has its next run due in the future or late by less than a period and
        # the bound of a run (the worker may be busy with a long report).
        overdue = now - period(name) - stale_after()
        claimed = (
            PeriodicRun.objects.filter(name=name)
            .filter(Q(due_at__isnull=True) | Q(due_at__lt=overdue))
            .update(due_at=now)
        )
        if claimed:
            _enqueue(name, now, later=False)
            queued.append(name)
    return queued


def run(name, due, now=None):
    """One run of a periodic job due at `due` (ISO text): claim it, queue the next, do the round
    under the job's lock. Returns what happened: «stray» (not this chain's run), «busy» (the
    previous round still runs) or «done»; a failing round raises."""
    if name not in settings.PERIODIC_TASKS:
        return "stray"
    due = datetime.fromisoformat(due)
    now = now or timezone.now()
    following = due + period(name)
    if following <= now:
        # The workers were behind: the next round comes a period from now, not at once.
        following = now + period(name)
    if not PeriodicRun.objects.filter(name=name, due_at=due).update(due_at=following):
        return "stray"
    _enqueue(name, following)
    with exclusive(f"periodic:{name}") as taken:
        if not taken:
            logger.warning("Periodic job %s skipped: its previous round is still running", name)
            return "busy"
        PeriodicRun.objects.filter(name=name).update(started_at=timezone.now())
        try:
            import_string(settings.PERIODIC_TASKS[name]["function"])()
        except Exception as error:
            # Recorded, and raised so that the task's result says so too; the next run is
            # already queued.
            logger.exception("Periodic job %s failed", name)
            PeriodicRun.objects.filter(name=name).update(
                finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000]
            )
            raise
        PeriodicRun.objects.filter(name=name).update(finished_at=timezone.now(), error="")
        return "done"
