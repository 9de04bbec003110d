"""`python manage.py load_demo`: the five documents as real programs, and the demo users.

Safe to run again: rows are upserted by their natural keys and saved only when a value differs,
so a second run writes nothing (see demo/upsert.py)."""

import argparse
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.loader import load as load_demo_data
from monitoring.models import Indicator
from roadmaps.models import RoadmapItem
from schools.models import Municipality, Organization, Region, RiskFactor

DEFAULT_PASSWORD = "demo12345"


def _day(text):
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"«{text}» — не дата: укажите день как ГГГГ-ММ-ДД, например 2026-12-07."
        ) from error


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные: программы Сургутского района, Пермского края, "
        "г. Мегиона, Хунзахского и Аткарского районов и пользователей для входа. Повторный "
        "запуск ничего не меняет."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Пароль демонстрационных пользователей (по умолчанию {DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="День, от которого отсчитывается текущий цикл программ (ГГГГ-ММ-ДД; по "
            "умолчанию сегодня). При повторной загрузке цикл остаётся на прежних датах.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Загрузить и при DEBUG=False (на рабочем сервере): демо-пользователи с известным "
            "паролем получат доступ к порталу.",
        )

    def handle(self, *args, password, today=None, allow_production=False, **options):
        # Demo users with a password printed in the README must never appear on a real server
        # by accident.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG выключен: похоже, это рабочий сервер. Демонстрационные данные и "
                "пользователи с известным паролем не загружены. Если это действительно нужно, "
                "запустите load_demo --allow-production."
            )
        # One transaction: a failure halfway leaves the database as it was.
        with transaction.atomic():
            loader, programs, people = load_demo_data(password, today=today)
        created, updated, unchanged = loader.totals
        write = self.stdout.write
        write("Демонстрационные данные загружены.")
        write(
            f"Регионов: {Region.objects.count()}, муниципалитетов: "
            f"{Municipality.objects.count()}, организаций: {Organization.objects.count()}, "
            f"факторов риска: {RiskFactor.objects.count()}."
        )
        write("Программы:")
        for program in programs:
            items = RoadmapItem.objects.filter(roadmap__program=program).count()
            indicators = Indicator.objects.filter(program=program).count()
            write(
                f"  {program.short_title} ({program.territory}): мероприятий {items}, "
                f"показателей {indicators}"
            )
        write(f"Записей создано: {created}, изменено: {updated}, без изменений: {unchanged}.")
        write("")
        write(f"Пользователи (пароль: {password}):")
        width = max(len(person.username) for person in people)
        for person in people:
            write(f"  {person.username:<{width}}  {person.description}")
