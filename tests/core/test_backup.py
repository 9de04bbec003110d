"""Backups that are tested: `manage.py backup` then `manage.py restore` into an empty database
and an empty folder give the same rows in every table and the same files (PostgreSQL: the
database side is pg_dump and pg_restore)."""

import io
import time

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from roadmaps.models import Evidence, ItemReport
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="резервная копия базы — pg_dump и pg_restore: только PostgreSQL",
    ),
]


def counts(cursor, tables):
    found = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        found[table] = cursor.fetchone()[0]
    return found


@pytest.fixture
def empty_database(settings):
    """A new, empty database beside the test database (as `createdb` makes it)."""
    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_restored"
    params = {
        "host": database.get("HOST") or "localhost",
        "port": database.get("PORT") or 5432,
        "user": database.get("USER") or "postgres",
        "password": database.get("PASSWORD") or None,
    }
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name, params
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_into_an_empty_database_and_folder(
    world, settings, tmp_path, media_root, empty_database
):
    item = f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program))
    report = ItemReport.objects.create(item=item, organization=world.supported_school)
    for name, content in (("акт.pdf", b"%PDF one"), ("фото.jpg", b"\xff\xd8 two")):
        evidence = Evidence(report=report, original_name=name, size=len(content))
        evidence.file.save(name, ContentFile(content), save=True)
    stored = {
        p.relative_to(media_root): p.read_bytes() for p in media_root.rglob("*") if p.is_file()
    }
    assert len(stored) == 2

    dump, files = tmp_path / "portal.dump", tmp_path / "files"
    call_command("backup", database=str(dump), files=str(files), stdout=io.StringIO())

    name, params = empty_database
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "NAME": name}}
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    started = time.monotonic()
    call_command("restore", database=str(dump), files=str(files), stdout=io.StringIO())
    seconds = time.monotonic() - started

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original = counts(cursor, tables)
    restored_connection = psycopg2.connect(dbname=name, **params)
    try:
        with restored_connection.cursor() as cursor:
            restored = counts(cursor, tables)
    finally:
        restored_connection.close()
    assert restored == original
    assert original["roadmaps_evidence"] == 2
    restored_files = {
        p.relative_to(settings.MEDIA_ROOT): p.read_bytes()
        for p in settings.MEDIA_ROOT.rglob("*")
        if p.is_file()
    }
    assert restored_files == stored
    print(f"restore: {seconds:.1f} s, {sum(original.values())} rows, {len(stored)} files")
