"""`manage.py import_roadmap FILE --program ID [--roadmap ID] [--dry-run]`: the roadmap import
of the page, for scripted use. It prints the same preview — every item with its module,
deadline and dates, responsible organizations found and not found, rows not read — and saves
only without --dry-run and only when the table reads."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from core.uploads import validate_upload
from core.xlsx import ImportFileError
from programs.models import Program
from roadmaps.importer import Meaning, guess_columns, plan_import, read_tables
from roadmaps.models import Roadmap


class Command(BaseCommand):
    help = "Загрузить дорожную карту из таблицы приказа (.docx) или книги Excel (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Файл .docx или .xlsx")
        parser.add_argument("--program", type=int, required=True, help="ID программы")
        parser.add_argument(
            "--roadmap", type=int, help="ID дорожной карты программы; без него — новая"
        )
        parser.add_argument(
            "--title",
            default="План-график (дорожная карта)",
            help="Название новой дорожной карты",
        )
        parser.add_argument("--table", type=int, default=1, help="Номер таблицы в файле (с 1)")
        parser.add_argument(
            "--columns",
            help="Значения столбцов через запятую, по порядку: "
            + ", ".join(f"{m.value} ({m.label})" for m in Meaning),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Только показать, ничего не сохранять"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        program = Program.objects.filter(pk=options["program"]).first()
        if program is None:
            raise CommandError(f"Программа {options['program']} не найдена.")
        roadmap = None
        if options["roadmap"] is not None:
            roadmap = Roadmap.objects.filter(program=program, pk=options["roadmap"]).first()
            if roadmap is None:
                raise CommandError(
                    f"Дорожная карта {options['roadmap']} не найдена в программе «{program}»."
                )
        try:
            # The same checks as an upload on the page: format, size, content.
            with path.open("rb") as handle:
                validate_upload(File(handle, name=path.name))
                content = handle.read()
            tables = read_tables(content, path.name)
        except OSError as error:
            raise CommandError(f"Файл не прочитан: {error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        indexes = [t.index for t in tables]
        if not 1 <= options["table"] <= len(tables):
            raise CommandError(f"В файле таблиц: {len(tables)}; укажите --table от 1.")
        table = tables[options["table"] - 1]
        meanings = self._meanings(options["columns"], table)
        plan = plan_import(
            tables,
            program=program,
            table_index=indexes[options["table"] - 1],
            meanings=meanings,
            roadmap=roadmap,
            title=options["title"],
        )
        if len(tables) > 1:
            self.stdout.write(
                "Таблицы в файле: "
                + "; ".join(
                    f"{n}. {t.label} ({len(t.rows)} строк)" for n, t in enumerate(tables, 1)
                )
            )
        self.stdout.write(render_to_string("roadmaps/import/preview.txt", {"plan": plan}))
        if not plan.is_valid:
            raise CommandError("Таблица не загружена: исправьте ошибки выше.")
        if options["dry_run"]:
            self.stdout.write("Проверка без сохранения (--dry-run): ничего не записано.")
            return
        summary = plan.apply()
        self.stdout.write(
            self.style.SUCCESS(
                f"Загружено мероприятий: {summary['items']} в дорожную карту "
                f"«{summary['roadmap']}» (ID {summary['roadmap'].pk}); "
                f"новых модулей: {summary['modules']}."
            )
        )

    def _meanings(self, text, table):
        if not text:
            return None
        meanings = [part.strip() for part in text.split(",")]
        wrong = [m for m in meanings if m not in Meaning.values]
        if wrong:
            raise CommandError(
                "Неизвестные значения столбцов: "
                + ", ".join(wrong)
                + ". Допустимы: "
                + ", ".join(Meaning.values)
                + "."
            )
        _, guessed = guess_columns(table)
        return meanings + guessed[len(meanings) :]
