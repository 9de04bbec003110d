from notices.models import Notification
from notices.service import run_round


def told(kind, **filters):
    """Usernames of everyone who got a notice of this kind."""
    return set(
        Notification.objects.filter(kind=kind, **filters).values_list(
            "recipient__username", flat=True
        )
    )


def round_at(now, mail=False):
    return run_round(now=now, mail=mail)
