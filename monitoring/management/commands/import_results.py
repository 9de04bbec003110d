"""`manage.py import_results FILE --program N --point M [--dry-run] [--approver USERNAME]
[--replace-approved]`: the results import for scripts. It prints every computed value beside
the one it replaces, the rows whose school is not found and the unreadable rows, and writes
only without --dry-run: all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from core.numbers import value_text
from core.xlsx import ImportFileError
from monitoring.models import MonitoringPoint
from monitoring.results import read_results
from monitoring.results_import import apply_results, plan_results
from programs.models import Program

ACTIONS = {
    "create": "новое",
    "update": "заменит",
    "replace": "утверждено, заменится только с --replace-approved",
    "same": "без изменений",
}


class Command(BaseCommand):
    help = "Загрузить результаты оценочных процедур (ВПР, ОГЭ, ЕГЭ) в показатели программы."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Таблица результатов .xlsx или .csv")
        parser.add_argument("--program", type=int, required=True, help="ID программы")
        parser.add_argument("--point", type=int, required=True, help="ID точки мониторинга")
        parser.add_argument("--approver", help="Пользователь, который утверждает значения")
        parser.add_argument(
            "--replace-approved",
            action="store_true",
            help="Заменять и уже утверждённые значения",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Только показать, ничего не сохранять"
        )

    def handle(self, *args, **options):
        program = Program.objects.filter(pk=options["program"]).first()
        if program is None:
            raise CommandError(f"Программа {options['program']} не найдена.")
        point = MonitoringPoint.objects.filter(program=program, pk=options["point"]).first()
        if point is None:
            raise CommandError(f"Точка {options['point']} не найдена в программе «{program}».")
        approver = None
        if options["approver"]:
            approver = get_user_model().objects.filter(username=options["approver"]).first()
            if approver is None:
                raise CommandError(f"Нет пользователя «{options['approver']}».")
        path = Path(options["file"])
        try:
            table = read_results(path.read_bytes(), path.name)
        except OSError as error:
            raise CommandError(f"Файл не прочитан: {error}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        plan = plan_results(table, program=program, point=point, user=approver, filename=path.name)
        if not plan.indicators:
            raise CommandError(
                "В программе нет показателей из результатов оценочных процедур: укажите у "
                "показателя процедуру, предметы, классы и меру."
            )
        for value in plan.values:
            old = value_text(value.old.value, value.indicator.unit) if value.old else "—"
            self.stdout.write(
                f"{value.school.short_name} | {value.indicator.code} | "
                f"{value_text(value.value, value.indicator.unit)} (было {old}) | "
                f"{ACTIONS[value.action]}"
                + (" | школа найдена по названию" if value.matched_by == "name" else "")
            )
        for row in plan.unmatched:
            self.stdout.write(f"Строка {row.number}: школа «{row.key}» не найдена в программе")
        for error in plan.errors:
            self.stdout.write(f"Строка {error.row}: {error.column} — {error.message}")
        replace = {v.key for v in plan.values} if options["replace_approved"] else set()
        count = len(plan.to_write(replace))
        if options["dry_run"]:
            self.stdout.write(f"Проверка: записалось бы значений — {count}. Ничего не сохранено.")
            return
        try:
            written = apply_results(plan, approver, replace=replace)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Записано значений: {written}.")
