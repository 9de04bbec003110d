"""Tables (django-tables2) of events and roadmap items; each also exports to .xlsx."""

import django_tables2 as tables
from django.utils.html import format_html

from core import timezones
from core.text import shorten

from .models import Event, RoadmapItem


class EventTable(tables.Table):
    region_label = "События"
    starts_at = tables.Column("Начало")
    title = tables.Column("Событие", linkify=True)
    kind = tables.Column("Форма")
    level = tables.Column("Уровень")
    is_exchange = tables.BooleanColumn("Обмен опытом", yesno="да,—")
    item = tables.Column("Пункт дорожной карты", orderable=False)
    invited_count = tables.Column("Приглашено", attrs={"td": {"class": "text-end"}})
    attended_count = tables.Column("Участвовало", attrs={"td": {"class": "text-end"}})
    manage = tables.TemplateColumn(
        template_name="roadmaps/events/_manage.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Event
        fields = ()
        sequence = (
            "starts_at",
            "title",
            "kind",
            "level",
            "is_exchange",
            "item",
            "invited_count",
            "attended_count",
            "manage",
        )
        order_by = ("starts_at",)
        empty_text = "Событий нет."
        attrs = {"class": "table table-sm align-middle"}

    def render_item(self, value):
        # The item by its title: its number («3») means nothing outside its roadmap.
        return shorten(value.title, 80)

    def value_item(self, value):
        return value.title

    def render_starts_at(self, value):
        # The page and the export show the time on the clock the view activates (the region's).
        return timezones.moment(value)

    def value_starts_at(self, record):
        return timezones.moment(record.starts_at)


class ItemTable(tables.Table):
    region_label = "Мероприятия дорожной карты"
    number = tables.Column("№")
    title = tables.Column("Мероприятие дорожной карты", linkify=True)
    roadmap = tables.Column("Дорожная карта", accessor="roadmap__title")
    module = tables.Column("Модуль", accessor="module__title")
    schedule_text = tables.Column("Срок реализации")
    due_on = tables.DateColumn(verbose_name="Срок", format="d.m.Y", default="без даты")
    responsible = tables.Column("Ответственные", empty_values=(), orderable=False)
    status = tables.Column("Состояние")

    class Meta:
        model = RoadmapItem
        fields = ()
        sequence = (
            "number",
            "title",
            "roadmap",
            "module",
            "schedule_text",
            "due_on",
            "responsible",
            "status",
        )
        empty_text = "Пунктов нет."
        attrs = {"class": "table table-sm align-middle"}
        row_attrs = {"class": lambda record: "is-late" if record.is_late() else ""}

    def render_title(self, value):
        return shorten(value, 160)

    def render_responsible(self, record):
        names = [o.short_name for o in record.responsible.all()]
        return ", ".join(names) or record.responsible_note or "—"

    def value_responsible(self, record):
        return ", ".join(o.short_name for o in record.responsible.all()) or record.responsible_note

    def render_status(self, record):
        if record.is_late():
            return format_html(
                '{} <span class="badge badge-late">просрочено</span>', record.get_status_display()
            )
        return record.get_status_display()

    def value_status(self, record):
        return record.get_status_display() + (" (просрочено)" if record.is_late() else "")
