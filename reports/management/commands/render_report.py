"""`manage.py render_report KIND ID -o FILE`: a report to a file, for scheduled mailing.

The format follows the extension (.pdf or .xlsx). Without --user the report shows everything
(the command runs on the server, as the administrator would); with --user it shows what that
person may see, exactly as their download would. --region ID or --municipality ID narrows a
monitoring note, a passport or an event participation report to one territory (as ?region= and
?municipality= do for a download), which lists its schools one by one.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from reports.background import program_of
from reports.kinds import KINDS
from reports.pdf import render_pdf
from reports.territory import territory_scope
from reports.xlsx import render_xlsx

RENDERERS = {".pdf": render_pdf, ".xlsx": render_xlsx}


def parse_date(text, option):
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"Неверная дата в {option}: «{text}». Пишите 2023-06-30 или 30.06.2023.")


def everyone_sees_all():
    """An unsaved superuser: the access rules give it everything, and it is nobody's account."""
    return get_user_model()(is_superuser=True, is_active=True, username="render_report")


class Command(BaseCommand):
    help = "Формирует отчёт в файл PDF или Excel (по расширению файла)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"вид отчёта: {', '.join(KINDS)}")
        parser.add_argument("id", type=int, help="id программы, дорожной карты, точки или школы")
        parser.add_argument("-o", "--output", required=True, help="файл .pdf или .xlsx")
        parser.add_argument("--from", dest="starts_on", help="начало периода сводного отчёта")
        parser.add_argument("--to", dest="ends_on", help="конец периода сводного отчёта")
        parser.add_argument("--user", help="имя пользователя, чьими правами строить отчёт")
        parser.add_argument(
            "--region", type=int, help="id региона: отчёт по одной территории, со списком школ"
        )
        parser.add_argument(
            "--municipality",
            type=int,
            help="id муниципалитета: отчёт по одной территории, со списком школ",
        )

    def handle(self, *args, kind, id, output, starts_on, ends_on, user, **options):
        region, municipality = options.get("region"), options.get("municipality")
        report_kind = KINDS.get(kind)
        if report_kind is None:
            raise CommandError(f"Неизвестный вид отчёта «{kind}». Доступны: {', '.join(KINDS)}.")
        path = Path(output)
        render = RENDERERS.get(path.suffix.lower())
        if render is None:
            raise CommandError(
                f"Неподдерживаемое расширение файла «{path.suffix or path.name}»: "
                "укажите файл .pdf или .xlsx."
            )
        if not path.parent.exists():
            raise CommandError(f"Нет папки {path.parent} для файла отчёта.")
        params = {}
        if starts_on or ends_on:
            if not report_kind.takes_period:
                raise CommandError("Период (--from, --to) задаётся только для сводного отчёта.")
            if not (starts_on and ends_on):
                raise CommandError("Укажите обе даты периода: --from и --to.")
            params = {
                "starts_on": parse_date(starts_on, "--from"),
                "ends_on": parse_date(ends_on, "--to"),
            }
            if params["starts_on"] > params["ends_on"]:
                raise CommandError("Конец периода (--to) раньше его начала (--from).")
        person = self._user(user)
        subject = report_kind.queryset().visible_to(person).filter(pk=id).first()
        if subject is None or not report_kind.applies_to(subject):
            label = report_kind.subject_label
            whose = f" среди доступных пользователю {user}" if user else ""
            # Every subject label is feminine: программа, дорожная карта, точка, школа.
            raise CommandError(f"Не найдена {label} с id {id}{whose}.")
        if region is not None or municipality is not None:
            if not report_kind.takes_territory:
                takes = ", ".join(slug for slug, k in KINDS.items() if k.takes_territory)
                raise CommandError(
                    f"Территория (--region, --municipality) задаётся только для отчётов: {takes}."
                )
            if region is not None and municipality is not None:
                raise CommandError("Укажите что-то одно: --region или --municipality.")
            try:
                params["scope"] = territory_scope(person, program_of(subject), region, municipality)
            except Http404:
                what = (
                    f"регион с id {region}"
                    if region is not None
                    else (f"муниципалитет с id {municipality}")
                )
                whose = f" в доступе пользователя {user}" if user else ""
                raise CommandError(f"Не найден {what}{whose}.") from None
        report = report_kind.build(subject, person, **params)
        path.write_bytes(render(report))
        self.stdout.write(f"Отчёт «{report.title}» сохранён в {path}.")

    def _user(self, username):
        if not username:
            return everyone_sees_all()
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Нет активного пользователя «{username}».") from None
