"""Аналитическая справка по точке мониторинга: each indicator against its baseline and target,
per school (program-wide values as one row «по программе»), its dynamics as a chart, the schools
that went backwards, and who has not submitted."""

from collections import defaultdict
from dataclasses import dataclass, field

from core.text import shorten
from dashboards.charts import dynamics_chart
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target

from .common import (
    APPROVED_NOTE,
    PROGRAM_ROW,
    ReportKind,
    mean,
    supported_schools,
    target_text,
    unit_label,
)
from .document import (
    Cell,
    Chart,
    Charts,
    Column,
    Facts,
    Paragraph,
    Row,
    Section,
    Table,
)
from .formatting import display
from .svg import printable

TITLE = "Аналитическая справка"
# Beyond this many schools a chart shows their mean rather than a line for each.
MAX_SCHOOL_LINES = 6
# Indicators side by side in one table of values by school (two columns each).
INDICATORS_PER_TABLE = 6


@dataclass
class NoteData:
    """Everything the note shows, read in a fixed number of queries through the access rules."""

    point: MonitoringPoint
    points: list
    upto: list
    baseline: MonitoringPoint
    indicators: list
    schools: dict
    targets: dict
    approved: dict
    statuses: dict
    reported: set = field(default_factory=set)

    @classmethod
    def load(cls, point, user):
        program = point.program
        points = list(
            MonitoringPoint.objects.visible_to(user).filter(program=program).order_by("date", "pk")
        )
        upto = points[: points.index(point) + 1] if point in points else [point]
        baseline = MonitoringPoint.baseline_among(upto, point)
        indicators = list(Indicator.objects.visible_to(user).filter(program=program))
        targets = {
            (t.indicator_id, t.point_id, t.organization_id): t
            for t in Target.objects.filter(indicator__program=program)
        }
        schools = supported_schools(program, user)
        approved, statuses, reported = {}, defaultdict(dict), set()
        rows = (
            Measurement.objects.visible_to(user)
            .filter(point__in=[p.pk for p in upto])
            .values_list(
                "indicator_id",
                "point_id",
                "organization_id",
                "organization__short_name",
                "value",
                "status",
            )
        )
        for indicator_id, point_id, org_id, org_name, value, status in rows:
            if org_id is not None:
                schools.setdefault(org_id, org_name)
            if value is None:
                continue
            reported.add((indicator_id, org_id))
            if status in Measurement.COUNTED:  # `MeasurementQuerySet.counted`
                approved[indicator_id, point_id, org_id] = value
            if point_id == point.pk and org_id is not None:
                statuses[org_id][indicator_id] = status
        schools = dict(sorted(schools.items(), key=lambda item: item[1]))
        return cls(
            point, points, upto, baseline, indicators, schools, targets, approved, statuses,
            reported,
        )  # fmt: skip

    def target(self, indicator, point, org_id=None):
        """The target that applies (`TargetQuerySet.pick`) to a school, or with `org_id` None
        to the program as a whole."""
        candidates = [
            found
            for key in ((point.pk, org_id), (point.pk, None), (None, org_id), (None, None))
            if (found := self.targets.get((indicator.pk, *key))) is not None
        ]
        return Target.objects.pick(candidates, indicator.pk, point.pk, org_id)

    def value(self, indicator, point, org_id):
        return self.approved.get((indicator.pk, point.pk, org_id))

    def has_program_row(self, indicator):
        return indicator.level != Indicator.Level.SCHOOL or (indicator.pk, None) in self.reported

    def school_ids(self, indicator):
        """Schools shown for an indicator: those that reported it; for a school-level indicator
        with no program-wide value, every supported school, so a missing one shows as «—»."""
        if indicator.level == Indicator.Level.SCHOOL and (indicator.pk, None) not in self.reported:
            return list(self.schools)
        return [org_id for org_id in self.schools if (indicator.pk, org_id) in self.reported]

    def subjects(self, indicator):
        """(organization id or None for the program, label) of the rows of an indicator."""
        rows = [(None, PROGRAM_ROW)] if self.has_program_row(indicator) else []
        return rows + [(org_id, self.schools[org_id]) for org_id in self.school_ids(indicator)]

    def overall(self, indicator, point):
        """The program's value at a point: its own, else the mean of the schools'."""
        own = self.value(indicator, point, None)
        if own is not None:
            return own
        return mean(self.value(indicator, point, org_id) for org_id in self.school_ids(indicator))

    def previous(self, indicator, org_id):
        """The latest approved value before the note's point: (point, value) or (None, None)."""
        for earlier in reversed(self.upto[:-1]):
            value = self.value(indicator, earlier, org_id)
            if value is not None:
                return earlier, value
        return None, None

    @property
    def school_indicators(self):
        """Indicators each school enters: of the school level, entered rather than computed,
        and not kept as one program-wide value (as the Мегион program keeps all of its)."""
        return [
            i
            for i in self.indicators
            if i.is_entered_at_school and (i.pk, None) not in self.reported
        ]


def indicator_label(indicator):
    unit = unit_label(indicator)
    return f"{indicator.code}. {indicator.title}" + (f", {unit}" if unit else "")


def met_cell(target, value):
    met = target.is_met_by(value) if target is not None else None
    if met is None:
        return None
    return Cell("да" if met else "нет", "good" if met else "bad")


def fact_cell(data, indicator, point, value):
    target = data.target(indicator, point)
    met = target.is_met_by(value) if target is not None else None
    return Cell(value, None if met is None else ("good" if met else "bad"))


def summary_section(data):
    point = data.point
    expected = len(data.schools) * len(data.school_indicators)
    entered = sum(len(by_indicator) for by_indicator in data.statuses.values())
    approved = sum(
        1
        for by_indicator in data.statuses.values()
        for status in by_indicator.values()
        if status == Measurement.Status.APPROVED
    )
    facts = [
        ("Точка мониторинга", f"{point.title}, {point.date:%d.%m.%Y} ({point.get_kind_display()})"),
        ("Базовая точка", f"{data.baseline.title}, {data.baseline.date:%d.%m.%Y}"),
        ("Показателей", len(data.indicators)),
        ("Школ", len(data.schools)),
    ]
    if expected:
        facts.append(("Значений школ внесено", f"{entered} из {expected}"))
        facts.append(("Из них утверждено", approved))
    return Section("Общие сведения").add(Facts(facts), Paragraph(APPROVED_NOTE))


def plan_fact_section(data):
    """One row per indicator: the fact at each point up to the note's, the plan at every point."""
    shown = []
    for p in data.points:
        has_fact = p in data.upto
        has_plan = any((i.pk, p.pk, None) in data.targets for i in data.indicators)
        if has_fact or has_plan:
            shown.append((p, has_fact, has_plan))
    columns = [Column("№", width="5%"), Column("Показатель"), Column("Ед.", width="6%")]
    groups = [("", 3)]
    for p, has_fact, has_plan in shown:
        if has_fact:
            columns.append(Column("факт", "number", width="7%"))
        if has_plan:
            columns.append(Column("план", "number", width="7%"))
        groups.append((p.title, has_fact + has_plan))
    rows = []
    for indicator in data.indicators:
        cells = [indicator.code, indicator.title, unit_label(indicator)]
        for p, has_fact, has_plan in shown:
            if has_fact:
                cells.append(fact_cell(data, indicator, p, data.overall(indicator, p)))
            if has_plan:
                target = data.target(indicator, p)
                cells.append(target.value if target else None)
        rows.append(Row(cells))
    table = Table(
        "Плановые и фактические значения",
        columns,
        rows,
        column_groups=groups,
        empty_text="Показатели не определены.",
        note="Факт — значение по программе, а где его нет — среднее утверждённых значений школ. "
        "Зелёным отмечены значения, достигшие плана, красным — не достигшие.",
    )
    return Section("Плановые и фактические значения").add(table)


def charts_section(data):
    labels = [p.title for p in data.points]
    upto = {p.pk for p in data.upto}
    charts = []
    for indicator in data.indicators:
        series = {}
        if data.has_program_row(indicator):
            series[PROGRAM_ROW] = [
                data.value(indicator, p, None) if p.pk in upto else None for p in data.points
            ]
        school_ids = data.school_ids(indicator)
        with_values = [
            org_id
            for org_id in school_ids
            if any(data.value(indicator, p, org_id) is not None for p in data.upto)
        ]
        if with_values and len(with_values) <= MAX_SCHOOL_LINES:
            for org_id in with_values:
                series[data.schools[org_id]] = [
                    data.value(indicator, p, org_id) if p.pk in upto else None for p in data.points
                ]
        elif with_values:
            series["среднее по школам"] = [
                mean(data.value(indicator, p, org_id) for org_id in with_values)
                if p.pk in upto
                else None
                for p in data.points
            ]
        plan = [t.value if (t := data.target(indicator, p)) else None for p in data.points]
        has_values = any(v is not None for values in series.values() for v in values)
        if not has_values and all(v is None for v in plan):
            continue
        title = f"{indicator.code}. {indicator.title}"
        svg = dynamics_chart(
            "",
            labels,
            series,
            target=plan,
            unit="%" if indicator.unit == Indicator.Unit.PERCENT else "",
            width=560,
            height=300,
        )
        charts.append(Chart(title, printable(svg)))
    if not charts:
        return None
    return Section("Динамика показателей").add(Charts(charts))


def _short(text, limit=70):
    return shorten(text, limit)


def _chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def values_section(data):
    """Schools down, indicators across: for each indicator the baseline and the value at the
    point, the value green where it meets the target and red where it does not. Indicators go
    in tables of `INDICATORS_PER_TABLE`, so that the columns stay readable on a landscape page."""
    point, baseline = data.point, data.baseline
    section = Section(f"Значения по школам на {point.date:%d.%m.%Y}")
    shown = [i for i in data.indicators if data.subjects(i)]
    if not shown:
        return section.add(Paragraph("Значений нет."))
    section.add(
        Paragraph(
            f"База — утверждённое значение на базовой точке «{baseline.title}», факт — на точке "
            f"«{point.title}». Зелёным отмечены значения, достигшие цели (своей цели школы, "
            "а где её нет — цели программы), красным — не достигшие; «—» — значение не внесено "
            "или не утверждено."
        )
    )
    # Program-wide indicators get tables of their own, so that their single row «по программе»
    # does not stretch a table of schools with empty cells.
    by_school = [i for i in shown if any(org_id for org_id, _ in data.subjects(i))]
    program_only = [i for i in shown if i not in by_school]
    chunks = _chunks(by_school, INDICATORS_PER_TABLE) + _chunks(program_only, INDICATORS_PER_TABLE)
    for number, chunk in enumerate(chunks, 1):
        subjects = {org_id: label for i in chunk for org_id, label in data.subjects(i)}
        order = ([None] if None in subjects else []) + [o for o in data.schools if o in subjects]
        per_indicator = {i.pk: {org_id for org_id, _ in data.subjects(i)} for i in chunk}
        width = f"{78 / (2 * len(chunk)):.2f}%"
        columns = [Column("Организация", width="22%")]
        groups = [("", 1)]
        for indicator in chunk:
            columns += [
                Column("база", "number", width=width),
                Column("факт", "number", width=width),
            ]
            heading = _short(f"{indicator.code}. {indicator.title}", 60)
            target = data.target(indicator, point)
            if target is not None:
                heading += f" (цель: {target_text(target, indicator.unit)})"
            groups.append((heading, 2))
        rows = []
        for org_id in order:
            cells = [subjects[org_id]]
            for indicator in chunk:
                if org_id not in per_indicator[indicator.pk]:
                    cells += [None, None]
                    continue
                value = data.value(indicator, point, org_id)
                met = met_cell(data.target(indicator, point, org_id), value)
                cells += [
                    data.value(indicator, baseline, org_id),
                    Cell(value, met.tone if met else None),
                ]
            rows.append(Row(cells))
        title = f"Значения на точке «{point.title}»"
        if len(chunks) > 1:
            title += f", часть {number}"
        section.add(Table(title, columns, rows, column_groups=groups, empty_text="Значений нет."))
    return section


def backwards_section(data):
    """For each indicator, the schools whose value at the point is worse than their previous
    approved one, as the indicator's direction defines «worse»."""
    rows = []
    for indicator in data.indicators:
        fallen = []
        for org_id, label in data.subjects(indicator):
            value = data.value(indicator, data.point, org_id)
            earlier, before = data.previous(indicator, org_id)
            if indicator.movement(before, value) == Indicator.WORSE:
                fallen.append(f"{label} (было {display(before)}, стало {display(value)})")
        if fallen:
            rows.append(
                Row([f"{indicator.code}. {indicator.title}", len(fallen), "; ".join(fallen)])
            )
    section = Section("Отрицательная динамика")
    if not rows:
        return section.add(
            Paragraph("Ни у одной школы значения не ухудшились по сравнению с предыдущей точкой.")
        )
    return section.add(
        Paragraph(
            "Школы, у которых значение на этой точке хуже предыдущего утверждённого: ниже — для "
            "показателей «чем больше, тем лучше», выше — для «чем меньше, тем лучше»."
        ),
        Table(
            "Отрицательная динамика",
            [
                Column("Показатель", width="30%"),
                Column("Школ", "number", width="7%"),
                Column("Школы и их значения", width="63%"),
            ],
            rows,
        ),
    )


def completeness_section(data):
    """Who has not submitted, or not had approved, all the values schools enter at the point."""
    expected = len(data.school_indicators)
    if not expected or not data.schools:
        return None
    wanted = {i.pk for i in data.school_indicators}
    rows, complete = [], 0
    for org_id, name in data.schools.items():
        statuses = [s for i, s in data.statuses.get(org_id, {}).items() if i in wanted]
        approved = statuses.count(Measurement.Status.APPROVED)
        if approved == expected:
            complete += 1
            continue
        submitted = statuses.count(Measurement.Status.SUBMITTED)
        missing = expected - len(statuses)
        rows.append(
            Row(
                [name, approved, submitted, len(statuses) - approved - submitted, missing],
                tone="bad" if missing else None,
            )
        )
    rows.sort(key=lambda row: -row.cells[-1])
    section = Section("Полнота данных").add(
        Paragraph(
            f"Показателей, которые вносят школы: {expected}. Все значения утверждены у "
            f"{complete} из {len(data.schools)} школ."
        )
    )
    if rows:
        section.add(
            Table(
                "Не представили или не утвердили значения",
                [
                    Column("Организация", width="44%"),
                    Column("Утверждено", "number", width="14%"),
                    Column("На проверке", "number", width="14%"),
                    Column("Черновик или возвращено", "number", width="14%"),
                    Column("Не внесено", "number", width="14%"),
                ],
                rows,
            )
        )
    return section


def build(point, user):
    program = point.program
    data = NoteData.load(point, user)
    report = KIND.start(
        program,
        subtitle=f"Мониторинг показателей на {point.date:%d.%m.%Y}: {point.title}",
        name=f"{program.short_title}, {point.title}",
    )
    for section in (
        summary_section,
        plan_fact_section,
        charts_section,
        values_section,
        backwards_section,
        completeness_section,
    ):
        report.add(section(data))
    return report


KIND = ReportKind(
    slug="note",
    title=TITLE,
    subject_label="точка мониторинга",
    subject_model=MonitoringPoint,
    queryset=lambda: MonitoringPoint.objects.select_related(
        "program__region", "program__municipality__region"
    ),
    build=build,
)
