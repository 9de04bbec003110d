"""Исполнение дорожной карты: every item with its deadline as written, its status, whether it is
late, and how many evidence files back it, grouped by module."""

from django.db.models import Count, Prefetch

from dashboards.charts import bar_chart
from roadmaps.models import Roadmap, RoadmapItem, completion_annotations
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
# What an item's lateness needs: its program's region (`Program.local_today`).
PROGRAM_ZONE = ("roadmap__program__region", "roadmap__program__municipality__region")
NO_MODULE = "Без модуля"


def items_queryset(user):
    """Items the user may see, with what a report row needs."""
    return with_row_fields(RoadmapItem.objects.visible_to(user))


def with_row_fields(items):
    """The items with what a report row needs, in a fixed number of queries."""
    return (
        items.select_related("module", *PROGRAM_ZONE)
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


def item_row(item, now):
    return Row(
        [
            item.number,
            item.title,
            item.schedule_text,
            item.due_on,
            responsible_text(item),
            item.expected_result,
            status_cell(item),
            lateness(item, now),
            item.evidence_count,
        ],
        tone="bad" if item.is_late(now) else None,
    )


def item_rows(items, now):
    """Rows of the items, with a group row wherever the module changes (none if no item has
    a module)."""
    rows, module = [], object()
    with_modules = any(i.module_id for i in items)
    for item in items:
        if with_modules and item.module != module:
            module = item.module
            rows.append(GroupRow(module.title if module else NO_MODULE))
        rows.append(item_row(item, now))
    return rows


def summary_facts(counts, items):
    """The items' completion counts (`RoadmapItemQuerySet.completion`) as facts."""
    return Facts(
        [
            ("Мероприятий всего", counts["total"]),
            ("Выполнено", f"{counts['done']} ({percent_text(counts['share'])})"),
            ("Выполняется", counts["in_progress"]),
            ("Запланировано", counts["planned"]),
            ("Не выполнено", counts["not_done"]),
            ("Отменено", counts["cancelled"]),
            ("Просрочено на дату отчёта", counts["late"]),
            ("Подтверждающих документов", sum(i.evidence_count for i in items)),
        ]
    )


def modules_chart(items, now, programs):
    """Done share by module (`completion_annotations`), when the items span two modules or
    more."""
    by_module = [
        row
        for row in items.filter(module__isnull=False)
        .values("module_id", "module__title")
        .annotate(**completion_annotations(now, programs=programs))
        .order_by("module__order", "module_id")
        if row["total"]
    ]
    if len(by_module) < 2:
        return None
    labels = [row["module__title"] for row in by_module]
    values = [share(row["done"], row["total"]) for row in by_module]
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
    counted = RoadmapItem.objects.visible_to(user).filter(roadmap=roadmap)
    counts = counted.completion(now, [program])
    report = KIND.start(program, subtitle=roadmap.title, name=roadmap.title, now=now)
    report.add(
        Section("Итоги").add(summary_facts(counts, items), modules_chart(counted, now, [program]))
    )
    report.add(
        Section("Мероприятия").add(
            Table(
                "Мероприятия",
                ITEM_COLUMNS,
                item_rows(items, now),
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
