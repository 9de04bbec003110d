"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi`.

The access log goes to stderr in the shape of the portal's own logs (LOG_FORMAT: plain text
with timestamps, or one JSON object per line with the request's id, the user's id, the path,
status, size and duration — core/logs.py). Everything else comes from the command line or
GUNICORN_CMD_ARGS (`--bind`, `--workers`)."""

import os

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
errorlog = "-"
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request=%({portal.request_id}e)s user=%({portal.user_id}e)s'
)

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in ("text", "json") else "text",
            "stream": "ext://sys.stderr",
        }
    },
    # Django configures the root logger again when the app loads (config/settings.py).
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
