"""`manage.py move_files_to_store`: copy every stored file from the folder (MEDIA_ROOT, or
--from) to the object store, under the same names, so the rows need no change.

Run it once with MEDIA_STORAGE=s3 set, after the store is configured and before the app
servers are switched over; a second run copies only what is missing (it is safe to repeat).
A file a row names but the folder lacks is reported, not invented."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def stored_names():
    """Every file name that any FileField of any model names, once."""
    names = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for field in fields:
            names.update(
                model._default_manager.exclude(**{field: ""})
                .exclude(**{f"{field}__isnull": True})
                .values_list(field, flat=True)
                .iterator()
            )
    return sorted(names)


class Command(BaseCommand):
    help = "Переносит файлы из папки MEDIA_ROOT в объектное хранилище (MEDIA_STORAGE=s3)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", help="папка с файлами (по умолчанию MEDIA_ROOT)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только показать, что будет перенесено"
        )

    def handle(self, *args, source=None, dry_run=False, **options):
        if settings.MEDIA_STORAGE != "s3":
            raise CommandError("Хранилище не настроено: задайте MEDIA_STORAGE=s3 и AWS_*.")
        folder = FileSystemStorage(location=Path(source or settings.MEDIA_ROOT))
        copied = present = missing = 0
        for name in stored_names():
            if default_storage.exists(name):
                present += 1
                continue
            if not folder.exists(name):
                missing += 1
                self.stderr.write(f"Нет в папке: {name}")
                continue
            if not dry_run:
                with folder.open(name, "rb") as handle:
                    saved = default_storage.save(name, handle)
                if saved != name:
                    raise CommandError(f"Хранилище сохранило {name} как {saved}.")
            copied += 1
        verb = "Будет перенесено" if dry_run else "Перенесено"
        self.stdout.write(f"{verb}: {copied}; уже в хранилище: {present}; нет в папке: {missing}.")
