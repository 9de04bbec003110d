"""The notification round as background work (Django's Tasks API).

The workers keep the rounds going by themselves: `settings.PERIODIC_TASKS` declares
`periodic_round` every `NOTICES_EVERY_MINUTES`, and `core.periodic` runs it once per period
however many workers there are, never beside a round still running. Rounds derive everything
from the data and claim each letter, so a round run by cron as well still sends nothing
twice."""

from django_tasks import task

from .service import run_round


def periodic_round():
    """One round; what `PERIODIC_TASKS` runs. Returns the round's figures."""
    created, sent, failed = run_round()
    return {"created": created, "sent": sent, "failed": failed}


@task()
def notification_round():
    """One round, queued by hand (`notification_round.enqueue()`)."""
    return periodic_round()
