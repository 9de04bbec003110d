"""Аналитическая справка по точке мониторинга: each indicator against its baseline and target,
per school (program-wide values as one row «по программе»), its dynamics as a chart, the schools
that went backwards, and who has not submitted."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery

from core.text import shorten
from dashboards.charts import dynamics_chart
from dashboards.figures import regroup
from dashboards.scope import WHOLE
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target, counted_condition

from .common import (
    APPROVED_NOTE,
    PROGRAM_ROW,
    ReportKind,
    coverage,
    mean,
    rounded,
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
from .territory import breakdown, subtitle_with

TITLE = "Аналитическая справка"
# Beyond this many schools a chart shows their mean rather than a line for each.
MAX_SCHOOL_LINES = 6
# Indicators side by side in one table of values by school (two columns each).
INDICATORS_PER_TABLE = 6


class NoteFigures:
    """What the note's sections ask of its data, whether it lists schools (`NoteData`) or
    summarises them by territory (`NoteSummary`): `targets` keyed (indicator, point,
    organization), `approved` values keyed (indicator, point, organization), `reported`
    (indicator, organization) pairs with a value."""

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

    @property
    def school_indicators(self):
        """Indicators each school enters: of the school level, entered rather than computed,
        and not kept as one program-wide value (as the Мегион program keeps all of its)."""
        return [
            i
            for i in self.indicators
            if i.is_entered_at_school and (i.pk, None) not in self.reported
        ]

    @property
    def values_expected(self):
        return self.school_count * len(self.school_indicators)


def _points(point, covered):
    points = list(
        covered.visible(MonitoringPoint.objects.filter(program=point.program_id)).order_by(
            "date", "pk"
        )
    )
    upto = points[: points.index(point) + 1] if point in points else [point]
    return points, upto, MonitoringPoint.baseline_among(upto, point)


@dataclass
class NoteData(NoteFigures):
    """Everything the note shows school by school, read in a fixed number of queries: the
    values of the report's schools (`common.Coverage`) and the program's own."""

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
    def load(cls, point, covered):
        program = point.program
        points, upto, baseline = _points(point, covered)
        indicators = list(covered.visible(Indicator.objects.filter(program=program)))
        targets = {
            (t.indicator_id, t.point_id, t.organization_id): t
            for t in Target.objects.filter(indicator__program=program)
        }
        schools = supported_schools(covered)
        approved, statuses, reported = {}, defaultdict(dict), set()
        # The schools' values, and the program's own (no organization) as they are.
        rows = covered.of_schools(
            Measurement.objects.filter(point__in=[p.pk for p in upto]), program_wide=True
        )
        rows = rows.values_list(
            "indicator_id",
            "point_id",
            "organization_id",
            "organization__short_name",
            "value",
            "status",
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

    @property
    def school_count(self):
        return len(self.schools)

    def _school_statuses(self):
        wanted = {i.pk for i in self.school_indicators}
        return [
            status
            for by_indicator in self.statuses.values()
            for indicator_id, status in by_indicator.items()
            if indicator_id in wanted
        ]

    @property
    def values_entered(self):
        return len(self._school_statuses())

    @property
    def values_approved(self):
        return self._school_statuses().count(Measurement.Status.APPROVED)

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

    def school_series(self, indicator):
        """The chart's lines besides the program's: each school's up to `MAX_SCHOOL_LINES`
        schools, their mean beyond."""
        upto = {p.pk for p in self.upto}
        with_values = [
            org_id
            for org_id in self.school_ids(indicator)
            if any(self.value(indicator, p, org_id) is not None for p in self.upto)
        ]
        if with_values and len(with_values) <= MAX_SCHOOL_LINES:
            return {
                self.schools[org_id]: [
                    self.value(indicator, p, org_id) if p.pk in upto else None for p in self.points
                ]
                for org_id in with_values
            }
        if with_values:
            return {
                "среднее по школам": [
                    mean(self.value(indicator, p, org_id) for org_id in with_values)
                    if p.pk in upto
                    else None
                    for p in self.points
                ]
            }
        return {}


@dataclass
class TerritoryFigures:
    """One summary row of the note: a territory's supported schools at the point."""

    schools: int = 0
    complete: int = 0
    entered: int = 0
    approved: int = 0
    submitted: int = 0
    # Per indicator id: {"mean", "approved", "met", "judged", "better", "worse"}.
    indicators: dict = field(default_factory=dict)


@dataclass
class NoteSummary(NoteFigures):
    """The note's figures when it summarises its schools by region or municipality
    (`territory.breakdown`): each territory's counts, means and targets met, aggregated in the
    database, so that the number of queries does not depend on the number of schools."""

    point: MonitoringPoint
    points: list
    upto: list
    baseline: MonitoringPoint
    indicators: list
    breakdown: object
    targets: dict
    approved: dict
    reported: set
    means: dict
    rows: dict

    @classmethod
    def load(cls, point, covered, shown):
        program = point.program
        points, upto, baseline = _points(point, covered)
        indicators = list(covered.visible(Indicator.objects.filter(program=program)))
        # Only the program's targets: a territory's figures are read against the program's, and
        # each school's value against its own in the database (`with_target`).
        targets = {
            (t.indicator_id, t.point_id, None): t
            for t in Target.objects.filter(indicator__program=program, organization__isnull=True)
        }
        values = covered.visible(Measurement.objects.filter(point__in=[p.pk for p in upto]))
        approved, reported = {}, set()
        for indicator_id, point_id, value, status in values.filter(
            point__in=[p.pk for p in upto], organization__isnull=True, value__isnull=False
        ).values_list("indicator_id", "point_id", "value", "status"):
            reported.add((indicator_id, None))
            if status in Measurement.COUNTED:
                approved[indicator_id, point_id, None] = value
        schools = covered.schools()
        counted = values.counted().filter(organization__in=schools)
        means = {
            (row["indicator_id"], row["point_id"]): rounded(row["mean"])
            for row in counted.filter(point__in=[p.pk for p in upto])
            .values("indicator_id", "point_id")
            .annotate(mean=Avg("value"))
        }
        data = cls(
            point, points, upto, baseline, indicators, shown, targets, approved, reported,
            means, {},
        )  # fmt: skip
        data.rows = data._territory_rows(values, schools)
        return data

    def _territory_rows(self, values, schools):
        key = self.breakdown.key
        territory = F(f"organization__{key}")
        rows = defaultdict(TerritoryFigures)
        for territory_id, n in (
            schools.order_by()
            .values(territory=F(key))
            .annotate(n=Count("pk"))
            .values_list("territory", "n")
        ):
            rows[territory_id].schools = n
        wanted = [i.pk for i in self.school_indicators]
        if not wanted:
            return dict(rows)
        at_point = values.filter(point=self.point, organization__in=schools, indicator__in=wanted)
        counted = counted_condition()
        earlier = [p.pk for p in self.upto[:-1]]
        # The latest approved value before the point (as `NoteData.previous` reads it).
        previous = Subquery(
            Measurement.objects.counted()
            .filter(
                indicator=OuterRef("indicator"),
                organization=OuterRef("organization"),
                point__in=earlier,
            )
            .order_by("-point__date", "-point__pk")
            .values("value")[:1]
        )
        grouped = (
            at_point.with_target()
            .annotate(previous=previous)
            .values("indicator_id", territory=territory)
            .annotate(
                entered=Count("pk", filter=Q(value__isnull=False)),
                approved=Count("pk", filter=counted),
                submitted=Count(
                    "pk", filter=Q(status=Measurement.Status.SUBMITTED, value__isnull=False)
                ),
                mean=Avg("value", filter=counted),
                met=Count("pk", filter=counted & Q(meets_target=True)),
                judged=Count("pk", filter=counted & Q(meets_target__isnull=False)),
                rose=Count("pk", filter=counted & Q(value__gt=F("previous"))),
                fell=Count("pk", filter=counted & Q(value__lt=F("previous"))),
            )
            .order_by()
        )
        by_id = {i.pk: i for i in self.indicators}
        for row in grouped:
            figures = rows[row["territory"]]
            figures.entered += row["entered"]
            figures.approved += row["approved"]
            figures.submitted += row["submitted"]
            # Which way is worse is the indicator's rule: ask it about a rise.
            rise = by_id[row["indicator_id"]].movement(0, 1)
            figures.indicators[row["indicator_id"]] = {
                "mean": rounded(row["mean"]),
                "approved": row["approved"],
                "met": row["met"],
                "judged": row["judged"],
                "better": row["rose"] if rise == Indicator.BETTER else row["fell"],
                "worse": row["fell"] if rise == Indicator.BETTER else row["rose"],
            }
        per_school = (
            values.counted()
            .filter(point=self.point, organization__in=schools, indicator__in=wanted)
            .values("organization_id", territory=territory)
            .annotate(n=Count("pk"))
        )
        complete = regroup(per_school, "territory", {"complete": f'"n" >= {int(len(wanted))}'})
        for territory_id, figures in complete.items():
            rows[territory_id].complete = figures["complete"]
        return dict(rows)

    def ordered(self):
        """(territory id, name, figures) in the order of names; schools outside every
        municipality of a region (None) come last."""
        names = dict(self.breakdown.territories)
        if None in self.rows:
            names[None] = "без муниципалитета"
        return [(tid, name, self.rows.get(tid, TerritoryFigures())) for tid, name in names.items()]

    @property
    def school_count(self):
        return sum(figures.schools for figures in self.rows.values())

    @property
    def values_entered(self):
        return sum(figures.entered for figures in self.rows.values())

    @property
    def values_approved(self):
        return sum(figures.approved for figures in self.rows.values())

    def overall(self, indicator, point):
        """The program's value at a point: its own, else the mean of the schools' (all the
        schools of the scope, computed in the database)."""
        own = self.value(indicator, point, None)
        if own is not None:
            return own
        return self.means.get((indicator.pk, point.pk))

    def school_series(self, indicator):
        upto = {p.pk for p in self.upto}
        series = [
            self.means.get((indicator.pk, p.pk)) if p.pk in upto else None for p in self.points
        ]
        return {"среднее по школам": series} if any(v is not None for v in series) else {}


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
    expected = data.values_expected
    facts = [
        ("Точка мониторинга", f"{point.title}, {point.date:%d.%m.%Y} ({point.get_kind_display()})"),
        ("Базовая точка", f"{data.baseline.title}, {data.baseline.date:%d.%m.%Y}"),
        ("Показателей", len(data.indicators)),
        ("Школ", data.school_count),
    ]
    if expected:
        facts.append(("Значений школ внесено", f"{data.values_entered} из {expected}"))
        facts.append(("Из них утверждено", data.values_approved))
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
        series.update(data.school_series(indicator))
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


def territories_section(data):
    """The summary's rows, one per region or municipality: its schools, how many of their values
    are entered and approved, how many schools have all approved, and the link to the note about
    that territory alone; then, indicator by indicator, each territory's mean of the approved
    values (green where it meets the program's target at the point, red where it does not) and
    how many of its schools met the target that applies to each."""
    shown = data.breakdown
    label = shown.column_title
    section = Section(f"Школы по территориям на {data.point.date:%d.%m.%Y}")
    per_school = len(data.school_indicators)
    rows, totals = [], TerritoryFigures()
    for territory_id, name, figures in data.ordered():
        link = shown.link(KIND, data.point, territory_id) if territory_id is not None else None
        rows.append(
            Row(
                [
                    name,
                    figures.schools,
                    figures.entered,
                    figures.approved,
                    figures.submitted,
                    figures.complete,
                    link,
                ],
                tone="bad" if figures.entered < figures.schools * per_school else None,
            )
        )
        for attr in ("schools", "entered", "approved", "submitted", "complete"):
            setattr(totals, attr, getattr(totals, attr) + getattr(figures, attr))
    rows.append(
        Row(
            [
                "Всего",
                totals.schools,
                totals.entered,
                totals.approved,
                totals.submitted,
                totals.complete,
                None,
            ]
        )
    )
    section.add(
        Table(
            f"Полнота данных по территориям ({shown.column_title.lower()})",
            [
                Column(label, width="28%"),
                Column("Школ", "number", width="9%"),
                Column(f"Значений внесено (из {per_school} на школу)", "number", width="14%"),
                Column("Утверждено", "number", width="11%"),
                Column("На проверке", "number", width="11%"),
                Column("Школ, у которых всё утверждено", "number", width="15%"),
                Column("Подробно", width="12%"),
            ],
            rows,
            note="Красным отмечены территории, где внесены не все значения школ. «По школам» — "
            "аналитическая справка по одной территории со значениями каждой школы.",
        )
    )
    for number, chunk in enumerate(_chunks(data.school_indicators, INDICATORS_PER_TABLE), 1):
        width = f"{75 / (2 * len(chunk)):.2f}%"
        columns = [Column(label, width="25%")]
        groups = [("", 1)]
        for indicator in chunk:
            columns += [
                Column("среднее", "number", width=width),
                Column("достигли цели, школ", "number", width=width),
            ]
            heading = _short(f"{indicator.code}. {indicator.title}", 60)
            target = data.target(indicator, data.point)
            if target is not None:
                heading += f" (цель: {target_text(target, indicator.unit)})"
            groups.append((heading, 2))
        table_rows = []
        for _territory_id, name, figures in data.ordered():
            cells = [name]
            for indicator in chunk:
                found = figures.indicators.get(indicator.pk, {})
                value = found.get("mean")
                met = met_cell(data.target(indicator, data.point), value)
                cells += [
                    Cell(value, met.tone if met else None),
                    found["met"] if found.get("judged") else None,
                ]
            table_rows.append(Row(cells))
        title = f"Средние значения на точке «{data.point.title}»"
        if len(data.school_indicators) > INDICATORS_PER_TABLE:
            title += f", часть {number}"
        section.add(Table(title, columns, table_rows, column_groups=groups))
    section.add(
        Paragraph(
            "Среднее — среднее утверждённых значений школ территории; зелёным отмечено среднее, "
            "достигшее цели программы на точке, красным — не достигшее. «Достигли цели» — "
            "сколько школ из тех, чьи значения утверждены, достигли цели, которая относится к "
            "каждой из них (своей цели школы, а где её нет — цели программы)."
        )
    )
    return section


def backwards_summary_section(data):
    """For each indicator, how many schools went backwards since their previous approved value
    (`Indicator.movement`), and the territories where most did."""
    rows = []
    for indicator in data.school_indicators:
        by_territory = [
            (name, figures.indicators.get(indicator.pk, {}).get("worse", 0))
            for _tid, name, figures in data.ordered()
        ]
        fallen = sum(n for _name, n in by_territory)
        if not fallen:
            continue
        most = sorted((item for item in by_territory if item[1]), key=lambda item: -item[1])
        named = "; ".join(f"{name} — {n}" for name, n in most[:5])
        if len(most) > 5:
            named += f"; ещё территорий: {len(most) - 5}"
        rows.append(Row([f"{indicator.code}. {indicator.title}", fallen, named]))
    section = Section("Отрицательная динамика")
    if not rows:
        return section.add(
            Paragraph("Ни у одной школы значения не ухудшились по сравнению с предыдущей точкой.")
        )
    return section.add(
        Paragraph(
            "Сколько школ получили на этой точке значение хуже своего предыдущего утверждённого "
            "(ниже — для показателей «чем больше, тем лучше», выше — для «чем меньше, тем "
            "лучше»), и где таких школ больше всего. Сами школы названы в справке по территории."
        ),
        Table(
            "Отрицательная динамика по территориям",
            [
                Column("Показатель", width="35%"),
                Column("Школ", "number", width="8%"),
                Column(f"Больше всего — {data.breakdown.column_title.lower()}", width="57%"),
            ],
            rows,
        ),
    )


def build(point, user, scope=WHOLE):
    program = point.program
    covered = coverage(program, user, scope)
    scope = covered.scope
    shown = breakdown(covered.schools(), scope)
    subtitle = f"Мониторинг показателей на {point.date:%d.%m.%Y}: {point.title}"
    name = f"{program.short_title}, {point.title}"
    if scope.territory is not None:
        name += f", {scope.territory}"
    report = KIND.start(program, subtitle=subtitle_with(scope, subtitle), name=name)
    if shown.is_summary:
        data = NoteSummary.load(point, covered, shown)
        report.add(shown.notice())
        sections = (
            summary_section,
            plan_fact_section,
            charts_section,
            territories_section,
            backwards_summary_section,
        )
    else:
        data = NoteData.load(point, covered)
        sections = (
            summary_section,
            plan_fact_section,
            charts_section,
            values_section,
            backwards_section,
            completeness_section,
        )
    for section in sections:
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
    takes_territory=True,
)
