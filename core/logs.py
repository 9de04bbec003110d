"""Logs: every line says which request and whose it was.

`RequestContextMiddleware` gives each request an id (the proxy's `X-Request-ID` when it sent a
sane one, else a new one), sends it back in `X-Request-ID`, and keeps it, the signed-in user's
id and the path for the log lines written while the request runs (`RequestContextFilter`) and
in the WSGI environ, where gunicorn's access log finds them (config/gunicorn.py).
`LOG_FORMAT=json` writes one JSON object per line (`JsonFormatter`, python-json-logger), plain
text with timestamps otherwise.
"""

import contextvars
import re
import uuid

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

REQUEST = contextvars.ContextVar("portal_request", default=None)
HEADER = "X-Request-ID"
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Keys of the WSGI environ that gunicorn's access log reads (`{portal.request_id}e`).
ENVIRON_REQUEST_ID = "portal.request_id"
ENVIRON_USER_ID = "portal.user_id"


class RequestContextMiddleware:
    """Placed after the authentication middleware, so the user is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if SANE_ID.match(given) else uuid.uuid4().hex
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        request.META[ENVIRON_REQUEST_ID] = request_id
        request.META[ENVIRON_USER_ID] = "-" if user_id is None else str(user_id)
        # Kept until the response is closed (`clear`): Django logs a 4xx or 5xx response after
        # the middleware has returned it.
        REQUEST.set({"request_id": request_id, "user_id": user_id, "path": request.path})
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def clear(**kwargs):
    """`request_finished`: lines written between requests belong to none."""
    REQUEST.set(None)


class RequestContextFilter:
    """Adds `request_id`, `user_id` and `path` to every record (empty outside a request)."""

    def filter(self, record):
        context = REQUEST.get() or {}
        for name in ("request_id", "user_id", "path"):
            if not hasattr(record, name):
                setattr(record, name, context.get(name))
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time, level, logger, message, request id, user id, path; for
    gunicorn's access log also the method, status, size and duration of the request."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt",
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s %(path)s",
        )
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_ensure_ascii", False)
        # ISO 8601 with the offset: lines of machines in different zones sort together.
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            log_record.update(
                {
                    "request_id": _atom(atoms, "{" + ENVIRON_REQUEST_ID + "}e"),
                    "user_id": _atom(atoms, "{" + ENVIRON_USER_ID + "}e"),
                    "path": atoms["U"],
                    "method": atoms["m"],
                    "status": _number(atoms["s"]),
                    "bytes": _number(atoms["B"]),
                    "duration_ms": _number(atoms["M"]),
                    "remote_addr": atoms["h"],
                }
            )
        elif isinstance(log_record.get("user_id"), str) and log_record["user_id"].isdigit():
            log_record["user_id"] = int(log_record["user_id"])


def _atom(atoms, key):
    value = atoms[key]
    if value in ("-", None):
        return None
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
