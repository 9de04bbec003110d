"""`manage.py check --deploy --tag production`: is this configuration complete for production?

Django's own `check --deploy` looks at security settings; this looks at what the portal needs to
run as a service on several machines: PostgreSQL, a shared cache and task queue, real mail, an
address for its letters, the object store's settings, someone told of errors. Its own tag keeps
it out of a plain `check --deploy` (core/management/commands/check.py)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

TAG = "production"


@register(TAG, deploy=True)
def production_settings(app_configs=None, **kwargs):
    found = []
    if settings.DEBUG:
        found.append(Error("DEBUG включён.", hint="DEBUG=False", id="portal.E001"))
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        found.append(
            Error(
                "База данных не PostgreSQL.",
                hint="DATABASE_URL=postgres://…: SQLite не выдерживает несколько серверов.",
                id="portal.E002",
            )
        )
    if settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        found.append(
            Error(
                "Фоновые задачи выполняются внутри запросов.",
                hint="TASKS_BACKEND=rq (с REDIS_URL) или database.",
                id="portal.E003",
            )
        )
    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        found.append(
            Warning(
                "Кэш у каждого процесса свой.",
                hint="CACHE_URL=redis://…, чтобы серверы делили показатели панелей.",
                id="portal.W001",
            )
        )
    if "console" in settings.EMAIL_BACKEND or "locmem" in settings.EMAIL_BACKEND:
        found.append(
            Error(
                "Письма не отправляются, а печатаются.",
                hint="EMAIL_URL=smtp+tls://…",
                id="portal.E004",
            )
        )
    if settings.PORTAL_URL.startswith(("http://127.", "http://localhost")):
        found.append(
            Error(
                "PORTAL_URL указывает на эту машину: ссылки в письмах не откроются.",
                hint="PORTAL_URL=https://portal.example.ru",
                id="portal.E005",
            )
        )
    if settings.DEFAULT_FROM_EMAIL.endswith("@localhost"):
        found.append(
            Warning(
                "Адрес отправителя писем на localhost.",
                hint="DEFAULT_FROM_EMAIL=portal@…",
                id="portal.W002",
            )
        )
    if getattr(settings, "MEDIA_STORAGE", "local") == "s3":
        missing = [
            name
            for name in ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
            if not getattr(settings, name, "")
        ]
        if missing:
            found.append(
                Error(
                    f"Хранилище файлов S3 настроено не полностью: нет {', '.join(missing)}.",
                    id="portal.E006",
                )
            )
    if not settings.ADMINS and not getattr(settings, "SENTRY_DSN", ""):
        found.append(
            Warning(
                "Об ошибках на сервере никто не узнает.",
                hint="ADMINS=… (письма об ошибках) или SENTRY_DSN=…",
                id="portal.W003",
            )
        )
    return found
