"""Background tasks of core: the runs of periodic jobs and the daily housekeeping."""

from django.core.management import call_command
from django_tasks import task

from . import periodic


@task()
def periodic_run(name, due):
    """One run of the periodic job `name` due at `due` (`core.periodic.run`)."""
    return periodic.run(name, due)


def housekeeping():
    """`manage.py housekeeping`, as a periodic job."""
    call_command("housekeeping")
