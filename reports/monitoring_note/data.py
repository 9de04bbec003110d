"""The note's figures: one school's values at a point, or a territory's summary."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery

from monitoring.models import Indicator, Measurement, MonitoringPoint, Target, counted_condition

from ..common import (
    PROGRAM_ROW,
    mean,
    rounded,
    supported_schools,
)

# Beyond this many schools a chart shows their mean rather than a line for each.
MAX_SCHOOL_LINES = 6


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
    # The point's sheet (`MonitoringPoint.sheet_indicators`) and the schools that completed it
    # (`MonitoringPoint.complete_schools`).
    sheet: set = field(default_factory=set)
    complete: set = field(default_factory=set)

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
            sheet=set(point.sheet_indicators().values_list("pk", flat=True)),
            complete=set(point.complete_schools().values_list("organization", flat=True)),
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
        # Schools whose sheet is complete (`MonitoringPoint.complete_schools`).
        complete = (
            schools.filter(pk__in=self.point.complete_schools())
            .order_by()
            .values(territory=F(key))
            .annotate(n=Count("pk"))
            .values_list("territory", "n")
        )
        for territory_id, n in complete:
            rows[territory_id].complete = n
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
