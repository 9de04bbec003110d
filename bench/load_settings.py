"""Settings of the load benchmark's gunicorn: the portal's own, on the benchmark's database, with
the yardstick page (one query) added to the URLs. Used by bench/load.py only."""

import os

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from config.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]  # noqa: F405
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STATIC_MANIFEST = False
ROOT_URLCONF = "bench.load_settings"
LOGGING = {"version": 1, "disable_existing_loggers": False}


@login_not_required
def one_query(request):
    """The yardstick: a page that makes one query of its own (anonymous: no session)."""
    from schools.models import Region

    return HttpResponse(f"{Region.objects.count()}")


urlpatterns = [
    path("bench/one-query/", one_query, name="bench_one_query"),
    path("", include("config.urls")),
]
