"""`manage.py backup --database FILE --files FOLDER`: the database by pg_dump and every stored
file (from the folder or the object store) into a folder; either part alone."""

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "Резервная копия: база данных (pg_dump) и хранимые файлы."

    def add_arguments(self, parser):
        parser.add_argument("--database", metavar="FILE", help="файл копии базы (.dump)")
        parser.add_argument("--files", metavar="FOLDER", help="папка для копии файлов")

    def handle(self, *args, database=None, files=None, **options):
        if not database and not files:
            raise CommandError("Укажите --database FILE и/или --files FOLDER.")
        if database:
            backup.dump_database(database)
            self.stdout.write(f"База сохранена в {database}.")
        if files:
            count = backup.dump_files(files)
            self.stdout.write(f"Файлов сохранено: {count} (в {files}).")
