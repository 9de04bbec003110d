"""Tables (django-tables2) of the schools of a territory."""

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from .models import Organization


class SchoolTable(tables.Table):
    region_label = "Школы"
    short_name = tables.Column("Школа", linkify=True)
    municipality = tables.Column("Муниципалитет", order_by=("municipality__name",))
    region = tables.Column("Регион", order_by=("region__name",))
    inn = tables.Column("ИНН")
    statuses = tables.Column("Статусы", empty_values=(), orderable=False)
    programs = tables.Column("Программы", empty_values=(), orderable=False)

    class Meta:
        model = Organization
        fields = ()
        sequence = ("short_name", "municipality", "region", "inn", "statuses", "programs")
        order_by = ("short_name",)
        empty_text = "Нет школ, доступных вам."
        attrs = {"class": "table table-sm align-middle"}

    def render_short_name(self, record, value):
        if record.parent_id:
            return format_html(
                '{} <span class="text-muted small">филиал {}</span>',
                value,
                record.parent.short_name,
            )
        return value

    def render_statuses(self, record):
        statuses = record.listed_statuses
        if not statuses:
            return "—"
        return format_html_join(
            " ",
            '<span class="badge text-bg-light border">{}: {}</span>',
            ((s.year, _short(s)) for s in statuses),
        )

    def value_statuses(self, record):
        return "; ".join(f"{s.year}: {s.get_category_display()}" for s in record.listed_statuses)

    def render_programs(self, record):
        taking_part = record.listed_participations
        if not taking_part:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> <span class="text-muted small">({})</span>',
            (
                (p.program.get_absolute_url(), p.program.short_title, p.get_role_display())
                for p in taking_part
            ),
        )

    def value_programs(self, record):
        return "; ".join(
            f"{p.program.short_title} ({p.get_role_display()})"
            for p in record.listed_participations
        )


def _short(status):
    label = status.get_category_display()
    return label.split(" — ")[0]
