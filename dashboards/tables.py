"""Tables (django-tables2) of the dashboards: execution by responsible, completeness of a
monitoring point, one indicator per school, and the rows behind an effectiveness figure. Each
exports to .xlsx through `core.exports`."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core import numbers, timezones
from core.text import shorten
from monitoring.models import Indicator, Target
from roadmaps.models import completion_share
from schools.models import Organization

_NUMBER = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


def _number(value):
    return numbers.number_text(value)


def _target(target, unit):
    return numbers.target_text(target.get_comparison_display(), target.value, unit)


class NumberColumn(tables.Column):
    def render(self, value):
        return _number(value)


class ResponsibleTable(tables.Table):
    region_label = "Ответственные организации"
    organization = tables.Column("Ответственный", accessor="organization__short_name")
    total = tables.Column("Пунктов", attrs=_NUMBER)
    done = tables.Column("Выполнено", attrs=_NUMBER)
    late = tables.Column("Просрочено", attrs=_NUMBER)
    share = tables.Column("Выполнено, %", empty_values=(), orderable=False, attrs=_NUMBER)

    class Meta:
        empty_text = "Ответственные не указаны."
        attrs = {"class": "table table-sm align-middle"}
        orderable = False

    def render_late(self, value):
        return format_html('<span class="late fw-bold">{}</span>', value) if value else "0"

    def render_share(self, record):
        share = completion_share(record["done"], record["total"])
        return numbers.number_text(share, places=1) if share is not None else "—"

    value_share = render_share


class CompletenessTable(tables.Table):
    region_label = "Полнота мониторинга"
    short_name = tables.Column("Школа", linkify=True)
    municipality = tables.Column("Муниципалитет", accessor="municipality__name")
    submitted = tables.Column("Сдано значений", attrs=_NUMBER)
    last_submitted = tables.Column("Последняя отправка")
    late = tables.BooleanColumn("С опозданием", yesno="да,—")
    state = tables.Column("Состояние", empty_values=(), orderable=False)

    class Meta:
        model = Organization
        fields = ()
        sequence = ("short_name", "municipality", "submitted", "last_submitted", "late", "state")
        order_by = ("submitted", "short_name")
        empty_text = "Таких школ нет."
        attrs = {"class": "table table-sm align-middle"}

    def __init__(self, *args, expected, **kwargs):
        self.expected = expected
        super().__init__(*args, **kwargs)

    def render_submitted(self, value):
        return f"{value} из {self.expected}"

    def value_submitted(self, value):
        return value

    def render_last_submitted(self, value):
        return timezones.moment(value)

    def value_last_submitted(self, value):
        return timezones.moment(value)

    def _state(self, record):
        if record.submitted >= self.expected and self.expected:
            return "сдано полностью"
        return "не сдано" if record.submitted == 0 else "сдано частично"

    def render_state(self, record):
        state = self._state(record)
        color = {"сдано полностью": "success", "не сдано": "danger"}.get(state, "warning")
        return format_html('<span class="badge text-bg-{}">{}</span>', color, state)

    def value_state(self, record):
        return self._state(record)


class IndicatorSchoolsTable(tables.Table):
    """One indicator across schools: a column per monitoring point, then the change since the
    baseline and the target at the last point."""

    region_label = "Значения показателя по школам"
    short_name = tables.Column("Школа", linkify=True)
    municipality = tables.Column("Муниципалитет", accessor="municipality__name")

    class Meta:
        model = Organization
        fields = ()
        order_by = ("short_name",)
        empty_text = "Школ нет."
        attrs = {"class": "table table-sm align-middle"}

    def __init__(self, data, *, points, baseline, last, indicator, **kwargs):
        self.points, self.baseline, self.last = points, baseline, last
        self.indicator = indicator
        extra = [
            (f"p{p.pk}", NumberColumn(p.title, accessor=f"p{p.pk}", attrs=_NUMBER)) for p in points
        ]
        at = f" ({last.title})" if last else ""
        extra += [
            (
                "change",
                tables.Column(
                    f"Изменение с базового{at}", empty_values=(), orderable=False, attrs=_NUMBER
                ),
            ),
            ("target", tables.Column(f"Цель{at}", empty_values=(), orderable=False, attrs=_NUMBER)),
            ("met", tables.Column("Достигнута", empty_values=(), orderable=False)),
        ]
        super().__init__(data, extra_columns=extra, **kwargs)

    def _values(self, record):
        first = getattr(record, f"p{self.baseline.pk}") if self.baseline else None
        last = getattr(record, f"p{self.last.pk}") if self.last else None
        return first, last

    def _target(self, record):
        """The target that applies to the school at the last point (`TargetQuerySet.applying`,
        read for every row by the query)."""
        value = getattr(record, "target_value", None)
        if value is None:
            return None
        return Target(value=value, comparison=record.target_comparison)

    def render_change(self, record):
        first, last = self._values(record)
        if first is None or last is None or self.baseline == self.last:
            return "—"
        change = last - first
        movement = self.indicator.movement(first, last)
        css = {Indicator.BETTER: "text-success", Indicator.WORSE: "text-danger"}.get(movement, "")
        sign = "+" if change > 0 else ""
        return format_html('<span class="{}">{}{}</span>', css, sign, _number(change))

    def value_change(self, record):
        first, last = self._values(record)
        return None if first is None or last is None else last - first

    def render_target(self, record):
        target = self._target(record)
        return _target(target, self.indicator.unit) if target else "—"

    value_target = render_target

    def _met(self, record):
        target = self._target(record)
        _, last = self._values(record)
        return target.is_met_by(last) if target else None

    def render_met(self, record):
        met = self._met(record)
        if met is None:
            return "—"
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            "success" if met else "danger",
            "да" if met else "нет",
        )

    def value_met(self, record):
        met = self._met(record)
        return "—" if met is None else ("да" if met else "нет")


# --- Rows behind an effectiveness figure -----------------------------------------------------


class _Rows(tables.Table):
    region_label = "Таблица"
    reason = tables.Column("Причина", orderable=False)

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        empty_text = "Нет строк."


class SchoolRows(_Rows):
    short_name = tables.Column("Школа", linkify=True)
    municipality = tables.Column("Муниципалитет", accessor="municipality__name")

    class Meta(_Rows.Meta):
        sequence = ("short_name", "municipality", "reason")
        order_by = ("short_name",)


class EventRows(_Rows):
    starts_at = tables.Column("Начало")
    title = tables.Column("Событие", linkify=True)
    level = tables.Column("Уровень")
    is_exchange = tables.BooleanColumn("Обмен опытом", yesno="да,—")

    class Meta(_Rows.Meta):
        sequence = ("starts_at", "title", "level", "is_exchange", "reason")
        order_by = ("starts_at",)

    def render_starts_at(self, value):
        return timezones.moment(value)

    def value_starts_at(self, value):
        return timezones.moment(value)


class ItemRows(_Rows):
    number = tables.Column("№")
    title = tables.Column("Мероприятие дорожной карты", linkify=True)
    roadmap = tables.Column("Дорожная карта", accessor="roadmap__title")
    due_on = tables.DateColumn(verbose_name="Срок", format="d.m.Y")
    status = tables.Column("Состояние")

    class Meta(_Rows.Meta):
        sequence = ("number", "title", "roadmap", "due_on", "status", "reason")
        order_by = ("roadmap", "number")

    def render_title(self, value):
        return shorten(value, 140)


class PairRows(_Rows):
    number = tables.Column("№")
    curator_school = tables.Column("Школа-куратор", accessor="curator_school__short_name")
    supported_school = tables.Column(
        "Школа адресной поддержки", accessor="supported_school__short_name"
    )

    class Meta(_Rows.Meta):
        sequence = ("number", "curator_school", "supported_school", "reason")
        order_by = ("supported_school",)


class DocumentRows(_Rows):
    title = tables.Column("Документ", linkify=True)
    organization = tables.Column("Школа", accessor="organization__short_name")
    kind = tables.Column("Вид")
    status = tables.Column("Состояние")

    class Meta(_Rows.Meta):
        sequence = ("title", "organization", "kind", "status", "reason")
        order_by = ("organization", "title")


ROW_TABLES = {
    "school": SchoolRows,
    "event": EventRows,
    "item": ItemRows,
    "pair": PairRows,
    "document": DocumentRows,
}


def effectiveness_row_table(kind, rows, **kwargs):
    return ROW_TABLES[kind](rows, **kwargs)


# --- The dashboard's summary tables: each one definition, on the page and in Excel ----------


def _card(label, classes="", cell=None):
    """Column attrs of a table that turns into cards on a phone: each cell names its column."""
    td = {"data-label": label, "class": classes}
    if cell is not None:
        td["class"] = cell
    return {"td": td, "th": {"class": "text-end"} if "text-end" in classes else {}}


class _Summary(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm align-middle table-cards"}
        orderable = False

    def __init__(self, data, *, scope_query="", **kwargs):
        # The links of the rows keep the territory the dashboard is narrowed to.
        self.scope_query = scope_query
        super().__init__(data, **kwargs)

    def _scoped(self, url, joiner="?"):
        return f"{url}{joiner}{self.scope_query}" if self.scope_query else url


class ModuleTable(_Summary):
    region_label = "По модулям"
    title = tables.Column("Модуль", attrs={"td": {"class": "card-head"}})
    total = tables.Column("Пунктов", attrs=_card("Пунктов", "text-end card-half"))
    done = tables.Column("Выполнено", attrs=_card("Выполнено", "text-end card-half"))
    share = tables.Column(
        "Выполнено, %", default="—", attrs=_card("Выполнено, %", "text-end card-half")
    )
    late = tables.Column(
        "Просрочено",
        attrs=_card(
            "Просрочено",
            "text-end card-half",
            cell=lambda record: (
                "text-end card-half late fw-bold" if record["late"] else "text-end card-half"
            ),
        ),
    )

    class Meta(_Summary.Meta):
        attrs = {**_Summary.Meta.attrs, "id": "by-module"}
        empty_text = "Пунктов нет."


class EffectivenessTable(_Summary):
    region_label = "Показатели эффективности"
    code = tables.Column("№", accessor="indicator__code", attrs=_card("№"))
    title = tables.Column(
        "Показатель", accessor="indicator__display_title", attrs={"td": {"class": "card-head"}}
    )
    value = tables.Column(
        "Значение", accessor="value_display", attrs=_card("Значение", "text-end fw-bold")
    )
    basis = tables.Column("Основа расчёта", accessor="basis_display", attrs=_card("Основа расчёта"))
    threshold = tables.Column("Порог", empty_values=(), attrs=_card("Порог", "card-half"))
    met = tables.Column("Итог", empty_values=(), attrs=_card("Итог", "card-half"))

    class Meta(_Summary.Meta):
        row_attrs = {"data-method": lambda record: record.indicator.method}

    def render_basis(self, record, value):
        url = reverse("dashboards:effectiveness", args=[record.indicator.pk])
        return format_html('<a href="{}">{}</a>', self._scoped(url), value)

    def value_basis(self, value):
        return value

    def value_threshold(self, record):
        return str(record.threshold) if record.threshold else "не задан"

    render_threshold = value_threshold

    def value_met(self, record):
        return {None: "нет данных", True: "выполнен", False: "не выполнен"}[record.met]

    def render_met(self, record):
        color = {None: "secondary", True: "success", False: "danger"}[record.met]
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', color, self.value_met(record)
        )


class CompletenessSummaryTable(_Summary):
    region_label = "Полнота мониторинга"
    point = tables.Column("Точка", accessor="point__title", attrs={"td": {"class": "card-head"}})
    deadline = tables.Column("Приём до", accessor="point__closes_on", attrs=_card("Приём до"))
    expected = tables.Column("Школ", attrs=_card("Школ", "text-end card-half"))
    complete = tables.Column(
        "Сдали полностью", attrs=_card("Сдали полностью", "text-end card-half")
    )
    partial = tables.Column("Частично", attrs=_card("Частично", "text-end card-half"))
    missing = tables.Column(
        "Не сдали",
        attrs=_card(
            "Не сдали",
            "text-end card-half",
            cell=lambda record: (
                "text-end card-half late fw-bold" if record["missing"] else "text-end card-half"
            ),
        ),
    )
    late = tables.Column("С опозданием", attrs=_card("С опозданием", "text-end card-half"))
    links = tables.Column(
        "",
        empty_values=(),
        exclude_from_export=True,
        attrs={"td": {"class": "text-nowrap small card-actions"}},
    )

    class Meta(_Summary.Meta):
        empty_text = "Точек мониторинга нет."

    def render_point(self, record, value):
        point = record["point"]
        return format_html(
            '<a href="{}">{}</a> <span class="small text-muted">{}</span>',
            point.get_absolute_url(),
            value,
            point.date.strftime("%d.%m.%Y"),
        )

    def value_point(self, value):
        return value

    def render_deadline(self, value):
        return value.strftime("%d.%m.%Y") if value else ""

    value_deadline = render_deadline

    def render_complete(self, record, value):
        share = f" ({_number(record['share'])} %)" if record["share"] is not None else ""
        return f"{value}{share}"

    def value_complete(self, value):
        return value

    def render_links(self, record):
        url = reverse("dashboards:completeness", args=[record["point"].pk])
        return format_html(
            '<a href="{}">кто не сдал</a> · <a href="{}">с опозданием</a>',
            self._scoped(f"{url}?show=missing", "&"),
            self._scoped(f"{url}?show=late", "&"),
        )


class IndicatorSummaryTable(_Summary):
    """Averages point by point, with the targets, and the schools that met the plan. On the page a
    point's cell shows its plan under the average; the Excel file has a plan column per point."""

    region_label = "Показатели: базовое значение, план и факт"
    code = tables.Column("№", accessor="indicator__code", attrs=_card("№"))
    title = tables.Column(
        "Показатель", accessor="indicator__display_title", attrs={"td": {"class": "card-head"}}
    )

    def __init__(self, rows, *, points, **kwargs):
        extra = []
        for index, point in enumerate(points):
            extra.append((f"avg{index}", _CellColumn(point.title, index, "average")))
            extra.append(
                (
                    f"plan{index}",
                    _CellColumn(f"План: {point.title}", index, "target", visible=False),
                )
            )
        number = _card("", "text-end card-half")
        extra += [
            ("met", _MetColumn("Достигли плана", accessor="met", attrs=number)),
            ("measured", tables.Column("Школ со значением", accessor="measured", visible=False)),
            ("improved", _MovedColumn("Улучшили", "text-success", accessor="improved")),
            ("worsened", _MovedColumn("Ухудшили", "text-danger", accessor="worsened")),
        ]
        super().__init__(rows, extra_columns=extra, **kwargs)

    def render_title(self, record, value):
        url = reverse("dashboards:indicator_dashboard", args=[record.indicator.pk])
        return format_html('<a href="{}">{}</a>', self._scoped(url), shorten(value, 100))

    def value_title(self, value):
        return value


class _MetColumn(tables.Column):
    """On the page «met of measured»; in Excel the count alone (measured has its own column)."""

    def render(self, record, value):
        return "—" if value is None else f"{value} из {record.measured}"

    def value(self, value, **kwargs):
        return value


class _MovedColumn(tables.Column):
    """Schools that improved (or worsened) since the baseline, coloured on the page."""

    def __init__(self, verbose_name, css, **kwargs):
        self.css = css
        super().__init__(verbose_name, attrs=_card(verbose_name, "text-end card-half"), **kwargs)

    def render(self, value):
        return format_html('<span class="{}">{}</span>', self.css, value)

    def value(self, value, **kwargs):
        return value


class _CellColumn(tables.Column):
    """A point's average (or, hidden on the page, its plan) of an indicator's summary row."""

    def __init__(self, verbose_name, index, key, **kwargs):
        self.index, self.key = index, key
        attrs = _card(verbose_name, "text-end card-half")
        super().__init__(verbose_name, empty_values=(), orderable=False, attrs=attrs, **kwargs)

    def value(self, record, **kwargs):
        cell = record.cells[self.index][self.key]
        if self.key == "target":
            return _target(cell, record.indicator.unit) if cell else ""
        return numbers.value_text(cell, record.indicator.unit) if cell is not None else ""

    def render(self, record, **kwargs):
        average = self.value(record)
        target = record.cells[self.index]["target"]
        if self.key == "average" and target:
            return format_html(
                '{}<div class="small text-muted">план {}</div>',
                average or "—",
                _target(target, record.indicator.unit),
            )
        return average or "—"
