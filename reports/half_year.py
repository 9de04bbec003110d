"""Сводный отчёт за период (раз в полугодие): the items due in the period and their status, the
events held with attendance, the monitoring points with completeness and values, the documents
reviewed, and the pairs.

The report is a list of section functions (`SECTIONS`), each taking the `Period` and returning
a `Section` or None; a new section is one function added to that list.

`Period` carries the program, the user, what the report covers (`common.Coverage`: for the
program's overseers the whole program, as its dashboard; for anyone else, the rows their
access rules let them see), the dates, «today» in the program's zone, and the data several
sections share, read once.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Count, Prefetch, Q

from dashboards.effectiveness import compute_all
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Document, Program, Review
from roadmaps.models import Attendance, Event, RoadmapItem

from .common import (
    APPROVED_NOTE,
    Coverage,
    ReportKind,
    made_at,
    mean,
    program_subjects,
    supported_schools,
    unit_label,
)
from .document import Cell, Column, Facts, GroupRow, Paragraph, Row, Section, Table
from .event_participation import EVENT_COLUMNS, event_row
from .formatting import percent_text
from .passport import pair_rows, pairs_table
from .roadmap_execution import ITEM_COLUMNS, item_row, item_rows, with_row_fields

TITLE = "Сводный отчёт"


def half_year_of(day):
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def default_period(program, today):
    """The half-year to report on: the current one while the program runs, its last one after
    it ended, its first one before it starts."""
    day = today
    if program.ends_on and today > program.ends_on:
        day = program.ends_on
    elif program.starts_on and today < program.starts_on:
        day = program.starts_on
    return half_year_of(day)


class PeriodForm(forms.Form):
    """The period of the report, from the query string: ?from=2023-01-01&to=2023-06-30."""

    def __init__(self, data=None, *, initial_period):
        super().__init__(data)
        start, end = initial_period
        self.fields["from"] = forms.DateField(label="С", initial=start)
        self.fields["to"] = forms.DateField(label="По", initial=end)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "Конец периода не может быть раньше его начала.")
        if start and end and (end - start).days > 366 * 5:
            self.add_error("to", "Период не может быть длиннее пяти лет.")
        return cleaned


@dataclass
class Period:
    program: Program
    user: object
    starts_on: date
    ends_on: date
    now: datetime
    covered: Coverage

    @property
    def today(self):
        return self.now.date()

    def _moment(self, day):
        return datetime.combine(day, time.min, tzinfo=ZoneInfo(self.program.timezone_name))

    @property
    def moments(self):
        """The period as [start, end) in the program's zone, for fields that hold a moment."""
        return self._moment(self.starts_on), self._moment(self.ends_on + timedelta(days=1))

    @cached_property
    def supported(self):
        return supported_schools(self.covered)

    def items_due(self, queryset):
        return queryset.filter(
            roadmap__program=self.program, due_on__range=(self.starts_on, self.ends_on)
        )

    @cached_property
    def completion(self):
        """The completion counts of the items due in the period (`RoadmapItemQuerySet.completion`)."""
        return self.items_due(self.covered.visible(RoadmapItem.objects.all())).completion(
            self.now, [self.program]
        )

    @cached_property
    def items(self):
        items = with_row_fields(self.items_due(self.covered.visible(RoadmapItem.objects.all())))
        return sorted(
            items.select_related("roadmap"),
            key=lambda i: (i.due_on, i.roadmap.title, i.roadmap_id, i.order, i.pk),
        )

    @cached_property
    def events(self):
        start, end = self.moments
        return list(
            self.covered.visible(Event.objects.filter(program=self.program))
            .filter(starts_at__gte=start, starts_at__lt=end)
            .with_participation(self.covered.schools())
            .prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.only("id", "event_id", "organization_id",
                                                     "people_count"),
                ),
            )
            .order_by("starts_at", "pk")
        )  # fmt: skip

    @cached_property
    def held_events(self):
        return [e for e in self.events if e.starts_at <= self.now]

    @cached_property
    def points(self):
        return list(
            self.covered.visible(MonitoringPoint.objects.filter(program=self.program))
            .filter(date__range=(self.starts_on, self.ends_on))
            .order_by("date", "pk")
        )

    @cached_property
    def reviews(self):
        start, end = self.moments
        documents = self.covered.visible(Document.objects.filter(program=self.program))
        return list(
            Review.objects.filter(document__in=documents, decided_at__gte=start, decided_at__lt=end)
            .exclude(verdict=Review.Verdict.PENDING)
            .select_related("document__organization", "reviewer", "organization")
            .order_by("decided_at", "pk")
        )


def period_text(period):
    return f"{period.starts_on:%d.%m.%Y} — {period.ends_on:%d.%m.%Y}"


def summary_section(period):
    counts = period.completion
    attended = {a.organization_id for e in period.held_events for a in e.attendances.all()}
    supported = set(period.supported)
    facts = [
        ("Период", period_text(period)),
        ("Пунктов дорожных карт со сроком в периоде", counts["total"]),
        ("выполнено", f"{counts['done']} ({percent_text(counts['share'])})"),
        ("просрочено", counts["late"]),
        ("не выполнено", counts["not_done"]),
        ("отменено (не входят в число пунктов)", counts["cancelled"]),
        ("Проведено событий", len(period.held_events)),
        (
            "Школ адресной поддержки, участвовавших в событиях",
            f"{len(attended & supported)} из {len(supported)}",
        ),
        ("Точек мониторинга", len(period.points)),
        ("Рассмотрено документов", len(period.reviews)),
    ]
    return Section("Итоги периода").add(Facts(facts))


def pairs_section(period):
    pairs = period.covered.of_schools(
        pair_rows().filter(program=period.program), "supported_school"
    )
    return Section("Пары для сетевого взаимодействия").add(pairs_table(pairs))


def items_section(period):
    items = period.items
    roadmaps = {i.roadmap_id for i in items}
    if len(roadmaps) > 1:
        rows, current = [], None
        for item in sorted(items, key=lambda i: (i.roadmap.title, i.roadmap_id, i.order, i.pk)):
            if item.roadmap_id != current:
                current = item.roadmap_id
                rows.append(GroupRow(item.roadmap.title))
            rows.append(item_row(item, period.now))
    else:
        rows = item_rows(items, period.now)
    return Section("Мероприятия дорожных карт со сроком в периоде").add(
        Table(
            "Пункты со сроком в периоде",
            ITEM_COLUMNS,
            rows,
            empty_text="В периоде нет пунктов со сроком.",
            note=f"«Просрочено» — на {period.today:%d.%m.%Y}.",
        )
    )


def events_section(period):
    zone = ZoneInfo(period.program.timezone_name)
    rows = [event_row(event, zone, len(period.supported)) for event in period.held_events]
    planned = len(period.events) - len(period.held_events)
    section = Section("Проведённые события")
    section.add(
        Table(
            "Проведённые события",
            EVENT_COLUMNS,
            rows,
            empty_text="В периоде события не проводились.",
        )
    )
    if planned:
        section.add(Paragraph(f"Запланировано до конца периода, ещё не проведено: {planned}."))
    return section


def monitoring_section(period):
    points = period.points
    section = Section("Мониторинг показателей")
    if not points:
        return section.add(Paragraph("В периоде нет точек мониторинга."))
    program, covered = period.program, period.covered
    indicators = list(covered.visible(Indicator.objects.filter(program=program)))
    # The program's targets at the points and its standing thresholds (`TargetQuerySet.pick`).
    program_targets = list(
        Target.objects.filter(indicator__program=program, organization__isnull=True).filter(
            Q(point__in=points) | Q(point__isnull=True)
        )
    )
    rows = list(
        covered.of_schools(
            Measurement.objects.filter(point__in=points, value__isnull=False), program_wide=True
        ).values_list("indicator_id", "point_id", "organization_id", "value", "status")
    )
    values = {}
    for indicator_id, point_id, org_id, value, status in rows:
        if status in Measurement.COUNTED:  # `MeasurementQuerySet.counted`
            values.setdefault((indicator_id, point_id), {})[org_id] = value
    supported = period.supported
    rows, lagging = [], []
    for point in points:
        # Who sent the whole sheet (`MonitoringPoint.complete_schools`).
        has_sheet = point.sheet_indicators().exists()
        complete = set(point.complete_schools().values_list("organization", flat=True))
        complete = [org_id for org_id in supported if org_id in complete]
        heading = f"{point.title} ({point.date:%d.%m.%Y})"
        if has_sheet:
            heading += f": все значения представили {len(complete)} из {len(supported)} школ"
            missing = [name for org_id, name in supported.items() if org_id not in complete]
            if missing:
                lagging.append(
                    f"«{point.title}»: не представили все значения — {', '.join(missing)}."
                )
        rows.append(GroupRow(heading))
        for indicator in indicators:
            by_org = values.get((indicator.pk, point.pk), {})
            value = by_org.get(None)
            if value is None:
                value = mean(v for org, v in by_org.items() if org is not None)
            target = Target.objects.pick(program_targets, indicator.pk, point.pk)
            met = target.is_met_by(value) if target is not None else None
            rows.append(
                Row(
                    [
                        indicator.code,
                        indicator.title,
                        unit_label(indicator),
                        value,
                        target.value if target is not None else None,
                        None if met is None else Cell("да" if met else "нет",
                                                      "good" if met else "bad"),
                        sum(1 for org in by_org if org is not None),
                    ]
                )
            )  # fmt: skip
    section.add(
        Paragraph(APPROVED_NOTE),
        Table(
            "Мониторинг показателей",
            [
                Column("№", width="5%"),
                Column("Показатель", width="45%"),
                Column("Ед.", width="6%"),
                Column("Значение", "number", width="10%"),
                Column("План", "number", width="10%"),
                Column("План достигнут", width="10%"),
                Column("Школ с утверждённым значением", "number", width="14%"),
            ],
            rows,
            note="Значение — по программе, а где его нет — среднее утверждённых значений школ.",
        ),
    )
    section.add(*(Paragraph(text) for text in lagging))
    return section


def documents_section(period):
    rows = []
    zone = ZoneInfo(period.program.timezone_name)
    for review in period.reviews:
        document = review.document
        reviewer = review.reviewer.get_full_name() or review.reviewer.get_username()
        if review.organization_id:
            reviewer = f"{reviewer} ({review.organization.short_name})"
        approved = review.verdict == Review.Verdict.APPROVED
        rows.append(
            Row(
                [
                    review.decided_at.astimezone(zone).date(),
                    document.title,
                    document.get_kind_display(),
                    document.organization.short_name if document.organization else None,
                    reviewer,
                    Cell(review.get_verdict_display(), "good" if approved else "warn"),
                ]
            )
        )
    counts = dict(
        period.covered.visible(Document.objects.filter(program=period.program))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    facts = Facts(
        [(f"Документов в состоянии «{label}»", counts.get(value, 0))
         for value, label in Document.Status.choices]
    )  # fmt: skip
    return Section("Экспертиза документов").add(
        Table(
            "Рассмотренные документы",
            [
                Column("Дата", "date", width="9%"),
                Column("Документ", width="30%"),
                Column("Вид", width="14%"),
                Column("Организация", width="17%"),
                Column("Эксперт", width="17%"),
                Column("Заключение", width="13%"),
            ],
            rows,
            empty_text="В периоде документы не рассматривались.",
        ),
        facts,
    )


def effectiveness_section(period):
    """The effectiveness indicators the portal computes from its own data, against the
    thresholds of the program's order. They are figures of the whole program, so only those who
    oversee it (as on its dashboard) get them; schools and curators see their own part."""
    if not Program.objects.overseen_by(period.user).contains(period.program):
        return None
    results = compute_all(period.program, now=period.now)
    if not results:
        return None
    rows = []
    for result in results:
        verdict = {True: Cell("достигнут", "good"), False: Cell("не достигнут", "bad")}.get(
            result.met, "нет порога" if result.threshold is None else "нет данных"
        )
        rows.append(
            Row(
                [
                    result.indicator.code,
                    result.indicator.title,
                    result.value_display,
                    result.basis_display,
                    str(result.threshold) if result.threshold is not None else None,
                    verdict,
                ]
            )
        )
    return Section("Показатели эффективности").add(
        Table(
            "Показатели эффективности",
            [
                Column("№", width="6%"),
                Column("Показатель", width="40%"),
                Column("Значение", width="11%"),
                Column("Основание", width="11%"),
                Column("Порог", width="18%"),
                Column("Итог", width="14%"),
            ],
            rows,
            note="По состоянию на дату формирования отчёта, по всей программе.",
        )
    )


SECTIONS = [
    summary_section,
    pairs_section,
    items_section,
    events_section,
    monitoring_section,
    documents_section,
    effectiveness_section,
]


def build(program, user, *, starts_on=None, ends_on=None):
    now = made_at(program)
    if starts_on is None or ends_on is None:
        starts_on, ends_on = default_period(program, now.date())
    # The half-year report takes no territory: its overseers get the whole program, as on the
    # dashboard; anyone else the rows their access rules let them see.
    overseen = Program.objects.overseen_by(user).contains(program)
    covered = Coverage(program) if overseen else Coverage(program, user=user)
    period = Period(program, user, starts_on, ends_on, now, covered)
    report = KIND.start(
        program,
        subtitle=f"{program.title}, {period_text(period)}",
        name=f"{program.short_title}, {starts_on:%d.%m.%Y}–{ends_on:%d.%m.%Y}",
        now=now,
    )
    for section in SECTIONS:
        report.add(section(period))
    return report


KIND = ReportKind(
    slug="half-year",
    title=TITLE,
    subject_label="программа",
    subject_model=Program,
    queryset=program_subjects,
    build=build,
    takes_period=True,
)
