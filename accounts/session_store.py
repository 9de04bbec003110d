"""The portal's session engine: django-qsessions' database sessions (tied to their users, with
browser and address), saved again only when a known browser or address changes — not on the
first request of a session made without them (a script's or a test's sign-in), which would
otherwise write on a request that only reads."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from qsessions import IP_SESSION_KEY, USER_AGENT_SESSION_KEY
from qsessions.backends.db import SessionStore as QSessionStore


class SessionStore(QSessionStore):
    def load(self):
        data = DatabaseStore.load(self)
        agent, ip = data.get(USER_AGENT_SESSION_KEY), data.get(IP_SESSION_KEY)
        if (agent is not None and agent != self.user_agent) or (ip is not None and ip != self.ip):
            self.modified = True
        return data
