"""Tables (django-tables2) of programs, their participants and pairs; each also exports to
.xlsx through `core.exports`."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .models import CuratorPair, Participant, Program


class ProgramTable(tables.Table):
    region_label = "Программы"
    short_title = tables.Column("Программа", linkify=True)
    level = tables.Column("Уровень")
    territory = tables.Column(
        "Территория", accessor="territory_name", order_by=("region__name", "municipality__name")
    )
    starts_on = tables.DateColumn(verbose_name="Начало", format="d.m.Y")
    ends_on = tables.DateColumn(verbose_name="Окончание", format="d.m.Y")
    order = tables.Column("Приказ", accessor="order_number", orderable=False)
    status = tables.Column("Состояние")
    supported_count = tables.Column("Школ поддержки", attrs={"td": {"class": "text-end"}})
    pairs_count = tables.Column("Пар", attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Program
        fields = ()
        sequence = (
            "short_title",
            "level",
            "territory",
            "starts_on",
            "ends_on",
            "order",
            "status",
            "supported_count",
            "pairs_count",
        )
        order_by = ("-starts_on",)
        empty_text = "Нет программ, доступных вам."
        attrs = {"class": "table table-sm align-middle"}

    def render_order(self, record):
        return record.order_display or "—"

    def value_order(self, record):
        return record.order_display


class ParticipantTable(tables.Table):
    region_label = "Участники программы"
    organization = tables.Column("Организация", accessor="organization__short_name")
    municipality = tables.Column("Муниципалитет", accessor="organization__municipality__name")
    role = tables.Column("Роль")
    remove = tables.TemplateColumn(
        template_name="programs/setup/_participant_remove.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Participant
        fields = ()
        sequence = ("organization", "municipality", "role", "remove")
        order_by = ("role", "organization")
        empty_text = "Участников пока нет."
        attrs = {"class": "table table-sm align-middle"}


class PairTable(tables.Table):
    region_label = "Пары «куратор — школа»"
    number = tables.Column("№")
    curator_school = tables.Column("Школа-куратор", accessor="curator_school__short_name")
    supported_school = tables.Column(
        "Школа адресной поддержки", accessor="supported_school__short_name"
    )
    curators = tables.Column("Кураторы", empty_values=(), orderable=False)
    agreement = tables.Column("Соглашение", empty_values=(), orderable=False)
    edit = tables.LinkColumn(
        "programs:setup_pair",
        args=[tables.A("pk")],
        text="Кураторы и соглашение",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = CuratorPair
        fields = ()
        sequence = ("number", "curator_school", "supported_school", "curators", "agreement")
        empty_text = "Пар пока нет."
        attrs = {"class": "table table-sm align-middle"}

    def render_curators(self, record):
        curators = list(record.curators.all())
        if not curators:
            return "—"
        return format_html_join(", ", "{}", ((c.display_name,) for c in curators))

    def value_curators(self, record):
        return ", ".join(c.display_name for c in record.curators.all())

    def render_agreement(self, record):
        signed = record.signed_agreement
        if signed is None:
            return mark_safe('<span class="badge text-bg-warning">не подписано</span>')
        return format_html(
            "№ {} от {}", signed.number or "б/н", signed.signed_on.strftime("%d.%m.%Y")
        )

    def value_agreement(self, record):
        signed = record.signed_agreement
        if signed is None:
            return "не подписано"
        return f"№ {signed.number or 'б/н'} от {signed.signed_on:%d.%m.%Y}"
