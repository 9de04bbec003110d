"""Исполнение дорожной карты: every item with its deadline as written, its status, whether it is
late, and how many evidence files back it, grouped by module."""

from collections import Counter

from django.db.models import Count, Prefetch

from dashboards.charts import bar_chart
from roadmaps.models import Roadmap, RoadmapItem
from schools.models import Organization

from .common import (
    ReportKind,
    lateness,
    made_at,
    responsible_text,
    share,
    status_cell,
)
from .document import Chart, Charts, Column, Facts, GroupRow, Paragraph, Row, Section, Table
from .formatting import percent_text
from .svg import printable

TITLE = "Исполнение дорожной карты"
NO_MODULE = "Без модуля"


def items_queryset(user):
    """Items the user may see, with what a report row needs, in a fixed number of queries."""
    return (
        RoadmapItem.objects.visible_to(user)
        .select_related("module")
        .prefetch_related(
            Prefetch("responsible", queryset=Organization.objects.only("id", "short_name"))
        )
        .annotate(evidence_count=Count("reports__evidence", distinct=True))
    )


def in_module_order(items):
    """Items grouped by module in the program's module order, items without a module first."""
    return sorted(
        items,
        key=lambda i: (
            i.module is not None,
            (i.module.order, i.module.pk) if i.module else (0, 0),
            i.order,
            i.pk,
        ),
    )


ITEM_COLUMNS = [
    Column("№", width="5%"),
    Column("Мероприятие", width="26%"),
    Column("Срок реализации", width="10%"),
    Column("Срок", "date", width="8%"),
    Column("Ответственные", width="14%"),
    Column("Показатель реализации", width="14%"),
    Column("Состояние", width="8%"),
    Column("Просрочено", width="7%"),
    Column("Подтверждений", "number", width="8%"),
]


def item_row(item, today):
    return Row(
        [
            item.number,
            item.title,
            item.schedule_text,
            item.due_on,
            responsible_text(item),
            item.expected_result,
            status_cell(item),
            lateness(item, today),
            item.evidence_count,
        ],
        tone="bad" if item.is_late_on(today) else None,
    )


def item_rows(items, today):
    """Rows of the items, with a group row wherever the module changes (none if no item has
    a module)."""
    rows, module = [], object()
    with_modules = any(i.module_id for i in items)
    for item in items:
        if with_modules and item.module != module:
            module = item.module
            rows.append(GroupRow(module.title if module else NO_MODULE))
        rows.append(item_row(item, today))
    return rows


def summary_facts(items, today):
    statuses = Counter(i.status for i in items)
    late = sum(1 for i in items if i.is_late_on(today))
    total = len(items)
    done = statuses[RoadmapItem.Status.DONE]
    return Facts(
        [
            ("Мероприятий всего", total),
            ("Выполнено", f"{done} ({percent_text(share(done, total))})"),
            ("Выполняется", statuses[RoadmapItem.Status.IN_PROGRESS]),
            ("Запланировано", statuses[RoadmapItem.Status.PLANNED]),
            ("Не выполнено", statuses[RoadmapItem.Status.NOT_DONE]),
            ("Отменено", statuses[RoadmapItem.Status.CANCELLED]),
            ("Просрочено на дату отчёта", late),
            ("Подтверждающих документов", sum(i.evidence_count for i in items)),
        ]
    )


def modules_chart(items):
    by_module = {}
    for item in items:
        if item.module_id and item.status != RoadmapItem.Status.CANCELLED:
            counts = by_module.setdefault(item.module.title, [0, 0])
            counts[0] += 1
            counts[1] += item.status == RoadmapItem.Status.DONE
    if len(by_module) < 2:
        return None
    labels = list(by_module)
    values = [share(done, total) for total, done in by_module.values()]
    if not any(values):
        # Bars of nothing say less than the sentence.
        return Paragraph("Выполненных мероприятий пока нет ни в одном модуле.")
    title = "Доля выполненных мероприятий по модулям, %"
    svg = bar_chart("", labels, values, unit="%", max_value=100)
    return Charts([Chart(title, printable(svg))])


def build(roadmap, user):
    program = roadmap.program
    now = made_at(program)
    today = now.date()
    items = in_module_order(items_queryset(user).filter(roadmap=roadmap))
    report = KIND.start(program, subtitle=roadmap.title, name=roadmap.title, now=now)
    report.add(Section("Итоги").add(summary_facts(items, today), modules_chart(items)))
    report.add(
        Section("Мероприятия").add(
            Table(
                "Мероприятия",
                ITEM_COLUMNS,
                item_rows(items, today),
                empty_text="В дорожной карте нет мероприятий.",
                note=f"«Просрочено» — на {today:%d.%m.%Y}: срок прошёл, а мероприятие не выполнено.",
            )
        )
    )
    return report


KIND = ReportKind(
    slug="roadmap",
    title=TITLE,
    subject_label="дорожная карта",
    subject_model=Roadmap,
    queryset=lambda: Roadmap.objects.select_related(
        "program__region", "program__municipality__region"
    ),
    build=build,
)
