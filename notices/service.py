"""The round and the sending together: what the command (and a periodic task) runs."""

from django.utils import timezone

from .mail import send_pending
from .rounds import Round


def run_round(now=None, mail=True):
    """Create the due notices, then send waiting e-mail; returns (created, sent, failed)."""
    now = now or timezone.now()
    created = Round(now).run()
    sent, failed = send_pending(now) if mail else (0, 0)
    return created, sent, failed
