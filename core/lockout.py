"""Sign-in lockout (django-axes): whose attempts count, and against what.

Two counts, both over the last `AXES_COOLOFF_TIME`:
- failed attempts for one user name from one address: at `AXES_FAILURE_LIMIT` that name is
  locked for that address only, so nobody elsewhere can lock a colleague out;
- failed attempts from one address over all names: at `AXES_ADDRESS_FAILURE_LIMIT` the address
  is locked for every name — one password tried over many names (spraying) stops there.
A successful sign-in clears the first count for that name and address, never the second: an
attacker with one valid account cannot wipe the address's record by signing into it.

The address is the client's, not the proxy's: behind `PROXY_COUNT` proxies that each append the
address they saw to X-Forwarded-For, it is the PROXY_COUNT-th entry from the right (whatever
the client wrote itself stands further left and is ignored); with no proxy, REMOTE_ADDR.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def client_address(request):
    """The address the outermost trusted proxy saw (see the module's docstring)."""
    proxies = settings.PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the two counts of this module. `AXES_LOCKOUT_PARAMETERS`
    lists (user name, address) first and the address alone second."""

    def _counts(self, request, credentials):
        by_name, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return by_name, by_address

    def get_failures(self, request, credentials=None):
        by_name, by_address = self._counts(request, credentials)
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_name, get_failure_limit(request, credentials))
        return by_name

    def reset_user_attempts(self, request, credentials=None):
        by_name_and_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_name_and_address.delete()
        return count
