"""Recompute the stored forecasts: of one program, or of every program with monitoring points.

Approvals and locked points queue a recomputation themselves; the workers run this daily
(`PERIODIC_TASKS`) so that a point closed by its date alone is taken in too."""

from django.core.management.base import BaseCommand, CommandError

from forecasts.compute import recompute
from programs.models import Program


class Command(BaseCommand):
    help = "Пересчитать прогнозы достижения целевых значений."

    def add_arguments(self, parser):
        parser.add_argument("--program", type=int, help="id программы (по умолчанию — все)")

    def handle(self, *args, program=None, **options):
        programs = Program.objects.filter(points__isnull=False).distinct()
        if program is not None:
            programs = Program.objects.filter(pk=program)
            if not programs.exists():
                raise CommandError(f"Программа {program} не найдена.")
        for each in programs.order_by("pk"):
            stored = recompute(each)
            self.stdout.write(f"{each}: прогнозов {stored}")
