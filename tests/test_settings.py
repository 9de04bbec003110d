"""Production settings pass Django's deployment checks, and a forgotten secret fails loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k3Jx9-ZqP2vN8wL5tR7yB1mC4hF6gD0sA_eU-iO9pQ2xW5zV8nM1bT4cY7kL0jH3",
    "ALLOWED_HOSTS": "portal.example.ru",
    "DATABASE_URL": "sqlite:///:memory:",
}


# The browser tests' switch must not leak into a "production" process.
NOT_INHERITED = {*PRODUCTION, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def planner_cost(env):
    """The random_page_cost the portal's PostgreSQL connections ask for, as settings read it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
            "django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k not in NOT_INHERITED}, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_connections_plan_for_ssd_storage_unless_told_otherwise():
    postgres = {"DATABASE_URL": "postgres://portal@db.example.ru:5432/portal"}
    assert planner_cost(postgres) == "-c random_page_cost=1.1"
    assert planner_cost({**postgres, "POSTGRES_RANDOM_PAGE_COST": "2"}) == "-c random_page_cost=2.0"
    assert planner_cost({**postgres, "POSTGRES_RANDOM_PAGE_COST": ""}) == ""
    assert planner_cost({"DATABASE_URL": "sqlite:///:memory:"}) == ""


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner setting")
def test_the_portals_postgresql_connections_use_that_cost():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
