"""Backups of both sides: the database (pg_dump's custom format, PostgreSQL) and the stored files
(whichever storage keeps them: the folder or the object store), and their restore into an empty
database and an empty folder or bucket (`manage.py backup`, `manage.py restore`)."""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import default_storage


def _postgres():
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        raise ImproperlyConfigured(
            "Резервная копия базы делается для PostgreSQL; SQLite — это файл, скопируйте его."
        )
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    args = [
        f"--host={database.get('HOST') or 'localhost'}",
        f"--port={database.get('PORT') or 5432}",
        f"--username={database.get('USER') or 'postgres'}",
    ]
    return database["NAME"], args, env


def dump_database(path):
    """pg_dump of the portal's database into `path` (custom format, compressed)."""
    name, args, env = _postgres()
    subprocess.run(
        ["pg_dump", *args, "--format=custom", "--no-owner", f"--file={path}", name],
        env=env,
        check=True,
    )


def restore_database(path):
    """pg_restore of `path` into the portal's database, which must be empty (just created)."""
    name, args, env = _postgres()
    subprocess.run(
        ["pg_restore", *args, "--no-owner", "--exit-on-error", f"--dbname={name}", str(path)],
        env=env,
        check=True,
    )


def walk(storage, folder=""):
    """Every file name in a storage, whatever keeps it (listdir works on both)."""
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)


def dump_files(target):
    """Copy every stored file into the folder `target`, under its stored name."""
    target = Path(target)
    count = 0
    for name in walk(default_storage):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out)
        count += 1
    return count


def restore_files(source):
    """Save every file of the folder `source` into the storage under the same name."""
    source = Path(source)
    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        with path.open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:
            raise RuntimeError(f"Файл {name} уже есть в хранилище: восстанавливайте в пустое.")
        count += 1
    return count
