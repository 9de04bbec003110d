"""`manage.py restore --database FILE --files FOLDER`: into an empty database (created by
`createdb`, not migrated) and an empty folder or bucket; either part alone."""

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "Восстановление из резервной копии в пустую базу и пустое хранилище файлов."

    def add_arguments(self, parser):
        parser.add_argument("--database", metavar="FILE", help="файл копии базы (.dump)")
        parser.add_argument("--files", metavar="FOLDER", help="папка с копией файлов")

    def handle(self, *args, database=None, files=None, **options):
        if not database and not files:
            raise CommandError("Укажите --database FILE и/или --files FOLDER.")
        if database:
            backup.restore_database(database)
            self.stdout.write(f"База восстановлена из {database}.")
        if files:
            count = backup.restore_files(files)
            self.stdout.write(f"Файлов восстановлено: {count}.")
