"""Background tasks of the forecasts (Django's Tasks API; a worker runs them)."""

from django.core.cache import cache
from django_tasks import task

from programs.models import Program

from .compute import recompute

# While a recomputation of a program waits in the queue, more approvals in it add none: the one
# waiting reads them all. The mark is dropped as the task starts, so an approval written after
# that queues the next one; it expires on its own should the queued task be lost.
QUEUED_SECONDS = 600


def queued_key(program_id):
    return f"forecasts:queued:{program_id}"


def request_recompute(program_id):
    """Queue the recomputation of a program's forecasts unless one is already waiting."""
    if cache.add(queued_key(program_id), 1, QUEUED_SECONDS):
        recompute_forecasts.enqueue(program_id)


@task()
def recompute_forecasts(program_id):
    """Recompute and store a program's forecasts (`compute.recompute`); returns how many."""
    cache.delete(queued_key(program_id))
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return 0
    return recompute(program)


def recompute_every_program():
    """`manage.py recompute_forecasts` as a daily periodic job (`PERIODIC_TASKS`): approvals
    and locked points queue their own recomputation, a point closed by its date alone is taken
    in here."""
    from django.core.management import call_command

    call_command("recompute_forecasts")
