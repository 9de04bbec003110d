"""A person's sessions (django-qsessions: each session row knows its user, browser and address),
the idle timeout beside the absolute one, and ending sessions.

- `SESSION_COOKIE_AGE` ends a session that long after sign-in, however busy;
- `SESSION_IDLE_MINUTES` ends one nobody has used that long: a forgotten session on a school's
  shared computer closes by itself. The time of the last request is kept in the session,
  written at most once a minute so that reading pages does not write on every request.
A password change keeps the session it was made in and ends the others (Django's session hash,
and their rows go); a reset by e-mail ends them all.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from qsessions.middleware import SessionMiddleware as QSessionMiddleware
from qsessions.models import Session

from core.lockout import client_address

LAST_SEEN = "portal_last_seen"
# The last-seen time is written when it is older than this, not on every request.
TOUCH_SECONDS = 60


class SessionMiddleware(QSessionMiddleware):
    """django-qsessions' middleware with the client's address as the sign-in lockout reads it
    (behind a proxy, from X-Forwarded-For), not the proxy's."""

    def process_request(self, request):
        request.session = self.SessionStore(
            ip=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
            session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME),
        )


class IdleTimeoutMiddleware:
    """Ends a signed-in session unused for SESSION_IDLE_MINUTES and asks to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"Сеанс завершён: им не пользовались больше {settings.SESSION_IDLE_MINUTES} "
                    "мин. Войдите снова.",
                )
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def mark_seen(request):
    """A sign-in counts as activity: the session starts with its last-seen time."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


def of(user):
    """The user's sessions that have not expired, the latest used first."""
    from django.utils import timezone

    return Session.objects.filter(user=user, expire_date__gt=timezone.now()).order_by("-updated_at")


def end_others(request):
    """End every session of the signed-in person but this one; how many ended."""
    count, _ = of(request.user).exclude(session_key=request.session.session_key).delete()
    return count


def end_all(user):
    count, _ = Session.objects.filter(user=user).delete()
    return count
