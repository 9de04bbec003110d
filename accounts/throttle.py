"""Guesses of a password outside the sign-in page count as failed sign-ins (django-axes).

A stolen session could otherwise try the account's password in the password-change form as
often as it liked. Each wrong old password is reported to axes as a failed sign-in of that user
name from that address, so the same two counts of `core.lockout` apply: after
`AXES_FAILURE_LIMIT` the name is locked for that address, on the sign-in page and here alike.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed

LOCKED = (
    "Слишком много неверных попыток ввести пароль. Попробуйте снова через {minutes} мин. "
    "или обратитесь к координатору."
)


def credentials_of(user):
    return {"username": user.get_username()}


def is_locked(request, user):
    """Whether this user name (or the client's address) is locked out now."""
    return not AxesProxyHandler.is_allowed(request, credentials_of(user))


def count_failure(request, user, sender):
    """Record a wrong password as a failed sign-in of `user` from this client."""
    user_login_failed.send(
        sender=sender,
        credentials=credentials_of(user),
        request=request,
        source="смена пароля",
    )
