"""Settings of the targeted-support portal.

Every value that differs between a laptop and production comes from the environment
(django-environ), with defaults that make `make run` work on an empty machine: SQLite in the
project folder, DEBUG on. Production sets DEBUG=False, SECRET_KEY, ALLOWED_HOSTS and a
PostgreSQL DATABASE_URL (see README); with those, `manage.py check --deploy` is clean.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# FileAwareEnv: any variable may come from a file instead (SECRET_KEY_FILE=/run/secrets/key).
env = environ.FileAwareEnv()
# A local .env is a convenience for developers; production passes real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-5b8a1f0c3e"

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    # Fail loudly rather than run production with a key that is in the repository.
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Sessions tied to their users, with browser and address (accounts/sessions.py).
    "qsessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    # Before the task backends' apps: its `db_worker` and `rqworker` register the periodic
    # jobs, then run theirs.
    "core",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "schools",
    "programs",
    "monitoring",
    "roadmaps",
    "expertise",
    "forecasts",
    "dashboards",
    "reports",
    "notices",
    "api",
    # Swagger UI's files for the API's docs, served by the portal (the CSP allows no CDN).
    "ninja",
    "demo",
]

MIDDLEWARE = [
    # `/health/` is answered before the host and HTTPS checks: a balancer probes each server
    # by its own address over plain http (core/health.py).
    "core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL byte anywhere in the request is refused with 400 before it can reach a query.
    "core.middleware.RefuseNulBytesMiddleware",
    "core.middleware.PrivateDownloadsMiddleware",
    # Signed-in pages and calendar feeds are never kept by shared caches.
    "core.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.sessions.SessionMiddleware",
    # Inside the session's: the figures a person's own save changed are never shown them stale.
    "core.middleware.DataWrittenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's id, the user's id and the path for every log line (core/logs.py).
    "core.logs.RequestContextMiddleware",
    # The second factor: whether this session gave a code (django-otp), and, for whoever must
    # or chose to, nothing else until it has (accounts/second_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Times are shown on the clock of the person's region (core.timezones).
    "core.middleware.PersonZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session unused for SESSION_IDLE_MINUTES ends (accounts/sessions.py).
    "accounts.sessions.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Connections are kept a minute and checked before reuse: a request then skips the connection
# set-up (a third of a short page's time on PostgreSQL) without holding on to a dead one.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A request's transaction takes SQLite's write lock when it begins, and a second writer
    # waits for it (up to `timeout` seconds) instead of failing at once with «database is
    # locked» when both try to upgrade a read to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's cost of reading a page out of order, for SSD storage (PostgreSQL's default
    # of 4 is a spinning disk's): with 4 it reads every waiting value of the country to keep the
    # few thousand a coordinator may approve, rather than look those up by key (the home page's
    # to-do lists 80 → 15 ms over 405,000 values). Empty leaves the server's own setting.
    page_cost = env.str("POSTGRES_RANDOM_PAGE_COST", default="1.1")
    if page_cost:
        try:
            page_cost = float(page_cost)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"POSTGRES_RANDOM_PAGE_COST must be a number, not {page_cost!r}."
            ) from error
        options = DATABASES["default"].setdefault("OPTIONS", {})
        extra = f"-c random_page_cost={page_cost}"
        options["options"] = f"{options['options']} {extra}" if options.get("options") else extra
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (big reports and imports) goes through Django's Tasks API. "database" keeps the
# queue in the portal's own database, so `make run` needs nothing more (its worker is
# `manage.py db_worker`); "rq" keeps it in Redis at REDIS_URL for workers on several machines
# (`manage.py rqworker --job-class django_tasks_rq.Job`); "immediate" runs a task inside the
# request that enqueues it.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
REDIS_URL = env.str("REDIS_URL", default="")
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL (redis://host:6379/0).")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    # `manage.py rqworker` and `rqstats`; only then, since django-rq's admin dashboard model has
    # no table and reads Redis.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
# A report of the whole country takes minutes; RQ kills a job at its timeout.
TASK_TIMEOUT_SECONDS = env.int("TASK_TIMEOUT_SECONDS", default=60 * 30)
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS,
    }
}
# Periodic work, declared here once: every worker registers it when it starts (core/periodic.py)
# and the rounds run once per period whatever the number of workers, under RQ's scheduler
# (`rqworker --with-scheduler`) and the database queue alike. A period of 0 minutes leaves the
# job to cron (`manage.py send_notifications`, `manage.py housekeeping`).
NOTICES_EVERY_MINUTES = env.int("NOTICES_EVERY_MINUTES", default=5)
PERIODIC_TASKS = {
    name: spec
    for name, spec in {
        "notification_round": {
            "function": "notices.tasks.periodic_round",
            "minutes": NOTICES_EVERY_MINUTES,
        },
        "housekeeping": {"function": "core.tasks.housekeeping", "minutes": 60},
        "report_files": {"function": "reports.tasks.prune_expired_files", "minutes": 60},
        "forecasts": {"function": "forecasts.tasks.recompute_every_program", "minutes": 24 * 60},
    }.items()
    if spec["minutes"] > 0
}

# A report about more supported schools than this (or a roadmap of more items than
# REPORT_BACKGROUND_ROWS) is made in the background; the file is kept REPORT_FILE_HOURS.
REPORT_BACKGROUND_SCHOOLS = env.int("REPORT_BACKGROUND_SCHOOLS", default=300)
REPORT_BACKGROUND_ROWS = env.int("REPORT_BACKGROUND_ROWS", default=3000)
REPORT_FILE_HOURS = env.int("REPORT_FILE_HOURS", default=24)
# A report about a program's schools lists them one by one up to this many (after its territory,
# ?region= or ?municipality=); beyond it, its per-school tables become one row per region or
# municipality, each linked to the report of that territory (reports/territory.py). Kept at or
# below REPORT_BACKGROUND_SCHOOLS, so a report that lists schools one by one inside a request
# lists at most that many (a single municipality is always listed school by school).
REPORT_DETAIL_SCHOOLS = min(
    env.int("REPORT_DETAIL_SCHOOLS", default=150), REPORT_BACKGROUND_SCHOOLS
)
# An Excel import that writes more rows than this (values; schools and their statuses) is applied
# by a worker after its confirmation, the page showing its progress; a smaller one in the request.
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
# Days an import's job row is kept (`manage.py housekeeping`): long past any confirmation.
IMPORT_JOB_DAYS = env.int("IMPORT_JOB_DAYS", default=30)
# Days the audit trail of security events and the sign-in records (addresses, browsers) are
# kept (`manage.py housekeeping`).
AUDIT_DAYS = env.int("AUDIT_DAYS", default=365)
# The privacy page (152-ФЗ): who the operator of personal data is, and the version of the page
# a person agrees to when accepting an invitation (change it when the page changes).
PRIVACY_OPERATOR = env.str(
    "PRIVACY_OPERATOR", default="орган управления образованием, эксплуатирующий портал"
)
PRIVACY_CONTACT = env.str("PRIVACY_CONTACT", default="")
PRIVACY_POLICY_VERSION = env.str("PRIVACY_POLICY_VERSION", default="2026-12")

# `/health/` fails when a task has waited longer than this for a worker (workers down or
# falling behind).
HEALTH_QUEUE_SECONDS = env.int("HEALTH_QUEUE_SECONDS", default=600)

# The read API (/api/v1/): requests per minute of one token, counted in the database so that
# every app server counts the same ones; the longest a token may be issued for.
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=120)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

# Figures of the dashboards are kept in the cache under a token that changes with the data of
# their program, so a per-process memory cache is never stale either; CACHE_URL=redis://…
# shares them between app servers.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60 * 60 * 24)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in through the region's identity provider over OpenID Connect (mozilla-django-oidc,
# accounts/oidc.py): on when OIDC_RP_CLIENT_ID is set with OIDC_DISCOVERY_URL (the provider's
# /.well-known/openid-configuration) or with the provider's endpoints; off, the sign-in page has
# no button and the provider's pages answer 404. Password sign-in stays. Nobody's account is
# created by it: a person is matched by the provider's `sub` stored at their first sign-in, or
# then by the verified e-mail of an accepted invitation.
OIDC_DISCOVERY_URL = env.str("OIDC_DISCOVERY_URL", default="")
# Endpoints given by hand win over the discovery document's.
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
# Or OIDC_RP_CLIENT_SECRET_FILE=/run/secrets/oidc (FileAwareEnv).
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_BUTTON_LABEL = env.str("OIDC_BUTTON_LABEL", default="Войти через региональный портал")
# A sign-in there counts as the second factor when the ID token's `amr` lists one of these
# values or its `acr` is one of them; otherwise the portal's own code follows.
OIDC_ACR_VALUES_2FA = env.list("OIDC_ACR_VALUES_2FA", default=["mfa", "otp", "hwk"])
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)

# Sign-in lockout (core/lockout.py): AXES_FAILURE_LIMIT failed attempts for one user name from
# one address lock that name for that address; AXES_ADDRESS_FAILURE_LIMIT failed attempts from one
# address over all names lock the address; both for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "core.lockout.LockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_address"
# Password recovery: letters asked for one address, and requests from one client, in an hour
# (counted in the database: accounts/recovery.py).
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# No MEDIA_URL is served: uploaded files leave the server only through views that check access.
MEDIA_URL = "/files/"
# Hashed, compressed files need `collectstatic`; the embedded run and the tests serve straight
# from static/ instead.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Where uploaded and made files live: "local" (MEDIA_ROOT, the embedded default) or "s3", an
# S3-compatible object store through django-storages, set by its own AWS_* names. Either way
# files leave only through the views that check access, streamed by the portal; the bucket is
# never public and its addresses are never handed out.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="")
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="")
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
AWS_DEFAULT_ACL = None
AWS_S3_FILE_OVERWRITE = False
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="path")
AWS_S3_SIGNATURE_VERSION = "s3v4"
if MEDIA_STORAGE == "s3":
    from botocore.config import Config as BotoConfig

    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    # Newer boto3 adds checksums that many S3-compatible stores (SeaweedFS, older MinIO) do
    # not accept; they are sent only where the API requires them.
    AWS_S3_CLIENT_CONFIG = BotoConfig(
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": AWS_S3_ADDRESSING_STYLE},
        signature_version="s3v4",
    )
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

# Uploads (evidence, school documents, agreements): size limit in megabytes.
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: any backend django-environ's EMAIL_URL understands — smtp+tls://user:password@host:587,
# smtps://…, consolemail:// (the default: letters are printed, nothing leaves the machine).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Who gets a letter about every server error (500) when SENTRY_DSN is not set:
# ADMINS="Дежурный <ops@example.ru>,Иванов <ivanov@example.ru>".
ADMINS = [
    (name.strip(), address.strip(" >"))
    for name, _, address in (
        entry.rpartition("<") if "<" in entry else (entry, "", entry)
        for entry in env.list("ADMINS", default=[])
    )
]
# The portal's own address, for links in letters and calendar feeds.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
# How far back a notification round looks at changes of values and documents.
NOTICES_LOOKBACK_HOURS = env.int("NOTICES_LOOKBACK_HOURS", default=72)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
# Rows on a page of every list and table of the portal (`core.pagination`).
PAGE_SIZE = env.int("PAGE_SIZE", default=50)

# A session ends SESSION_COOKIE_AGE seconds after sign-in, or after SESSION_IDLE_MINUTES
# without a request; its row (django-qsessions) lists its browser and address to its person.
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
# A second factor (TOTP, backup codes) for coordinators, the staff of programs' owners and
# operators, and the admin site's staff: on whenever DEBUG is off unless said otherwise.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# The name the authenticator app shows beside the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Портал адресной поддержки")
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp) of every page: scripts only from the portal's own static
# files (no inline script, no eval, no on… attributes: static/js/portal.js), styles from them
# plus inline ones (the server-drawn SVG charts carry their own <style> and style attributes),
# images from the portal and data: URIs (Bootstrap's icons), nothing framed, forms only to
# the portal. Downloads of uploaded files carry their own stricter policy (core/uploads.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
# How many proxies in front of the portal append the address they saw to X-Forwarded-For: the
# client's address is that many entries from the right. Without a proxy the header is the
# client's own words and is never read.
PROXY_COUNT = env.int("PROXY_COUNT", default=1) if BEHIND_PROXY else 0
if BEHIND_PROXY:
    # Only behind a proxy that sets this header; otherwise a client could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to stderr (journald keeps them under systemd): plain text with timestamps, or with
# LOG_FORMAT=json one JSON object per line. Every line carries the request's id, the signed-in
# user's id and the path (core/logs.py); gunicorn's access log the same (config/gunicorn.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
# Server errors go to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set,
# otherwise by mail to ADMINS.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "core.logs.RequestContextFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s "
            "%(path)s] %(message)s"
        },
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default handlers are replaced: the root's console prints, and the 500s
        # go by mail unless Sentry takes them.
        "django": {
            "handlers": [] if SENTRY_DSN else ["mail_admins"],
            "level": LOG_LEVEL,
            "propagate": True,
        },
    },
}
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        # Names and addresses of people stay out of the reports.
        send_default_pii=False,
        traces_sample_rate=0,
    )
