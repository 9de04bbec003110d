"""Settings of the load benchmark's gunicorn: the portal's own, on the benchmark's database, with
the yardstick page added to the URLs (bench/load_urls.py). Used by bench/load.py only."""

import os

from config.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]  # noqa: F405
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ROOT_URLCONF = "bench.load_urls"
