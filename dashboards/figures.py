"""The figures of a dashboard, each aggregated in the database (conditional Count, Avg,
correlated subqueries), so that the number of queries does not depend on the number of schools
or items: a national program of 3,000 schools and 90,000 items costs the same number of queries
as one of five schools."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Max,
    Prefetch,
    Q,
)

from expertise.thresholds import pass_shares
from expertise.traceability import FLAG_LABELS, trace
from expertise.traceability import summary as trace_summary
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Document
from roadmaps.models import (
    COMPLETION,
    ItemExecution,
    RoadmapItem,
    completion_annotations,
    with_share,
)

from .effectiveness import supported_schools

TOP = 10


def share_of(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def roadmap_summary(program, scope, now=None):
    """The completion counts of the program's items in the scope (`RoadmapItemQuerySet.in_scope`,
    counted by `completion_annotations`): by module, in total (the modules' sums), by
    responsible organization (each organization's own execution), and the first late items."""
    items = RoadmapItem.objects.filter(roadmap__program=program).in_scope(scope)
    programs = [program]
    counts = completion_annotations(now, programs=programs)
    by_module = list(
        items.values("module_id", "module__title")
        .annotate(**counts)
        .order_by("module__order", "module__title")
    )
    # The totals are the modules' sums: one scan of the items, not two.
    totals = with_share({key: sum(row[key] for row in by_module) for key in COMPLETION})
    for row in by_module:
        with_share(row)
        row["title"] = row["module__title"] or "Без модуля"
    # Grouped by id alone: joining the names into 90,000 rows costs more than fetching the
    # names of the rows shown.
    # The whole program's executions by a join; a territory's through its (few) items.
    executions = (
        ItemExecution.objects.filter(item__roadmap__program=program)
        if scope.is_whole
        else ItemExecution.objects.filter(item__in=items)
    )
    by_responsible = (
        executions.values("organization_id")
        .annotate(**ItemExecution.objects.completion_annotations(now, programs))
        .order_by("-late", "organization_id")
    )
    late = (
        items.late(now, programs).select_related("roadmap", "module").order_by("due_on", "pk")[:TOP]
    )
    return {
        "totals": totals,
        "by_module": by_module,
        "by_responsible": by_responsible,
        "late": late,
    }


def regroup(grouped, by, conditions):
    """Count the rows of a grouped queryset (`values(...).annotate(...)`) per its column `by`
    that meet each SQL condition on its columns — a GROUP BY over a GROUP BY, which the ORM
    cannot express. Returns {value of `by`: {name: count}}. The conditions are the code's own
    SQL (column names in double quotes), never user input."""
    sql, params = grouped.order_by().query.sql_with_params()
    sums = ", ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in conditions.values())
    query = f'SELECT "{by}", COUNT(*), {sums} FROM ({sql}) AS grouped GROUP BY "{by}"'
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {
            row[0]: {"rows": row[1], **dict(zip(conditions, row[2:], strict=True))}
            for row in cursor.fetchall()
        }


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list  # per point: {"point", "average", "count", "target", "met"}
    baseline: object = None
    latest: object = None
    latest_target: object = None
    met: int | None = None
    measured: int = 0
    improved: int | None = None
    worsened: int | None = None


def indicator_summary(program, scope):
    """Each entered indicator against its baseline and program targets, point by point, over
    the supported schools of the scope: the values that count (`MeasurementQuerySet.counted`),
    the program's target that applies at each point (`TargetQuerySet.pick`); how many schools
    met the target that applies to each of them at the last point with values, and how many
    improved or declined (`Indicator.movement`) since the baseline of that point
    (`MonitoringPoint.baseline_among`)."""
    points = list(program.points.order_by("date", "pk"))
    indicators = list(
        program.indicators.filter(method=Indicator.Method.ENTERED).prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(organization__isnull=True),
                to_attr="program_level_targets",
            )
        )
    )
    if not indicators or not points:
        return {"points": points, "rows": [], "latest": None, "baseline": None}
    values = Measurement.objects.counted().filter(
        indicator__in=[i.pk for i in indicators],
        organization__in=supported_schools(program, scope),
    )
    stats = {
        (row["indicator_id"], row["point_id"]): row
        for row in values.with_target()
        .values("indicator_id", "point_id")
        .annotate(
            average=Avg("value"),
            count=Count("pk"),
            met=Count("pk", filter=Q(meets_target=True)),
            with_target=Count("pk", filter=Q(target_value__isnull=False)),
        )
    }
    with_values = [p for p in points if any((i.pk, p.pk) in stats for i in indicators)]
    latest = with_values[-1] if with_values else None
    baseline = MonitoringPoint.baseline_among(points, latest)
    moves = {}
    if latest is not None and latest.pk != baseline.pk:
        per_school = (
            values.filter(point__in=[baseline, latest])
            .values("indicator_id", "organization_id")
            .annotate(
                first=Max("value", filter=Q(point=baseline)),
                last=Max("value", filter=Q(point=latest)),
            )
        )
        moves = regroup(
            per_school,
            "indicator_id",
            {"up": '"last" > "first"', "down": '"last" < "first"'},
        )
    rows = []
    for indicator in indicators:
        targets = indicator.program_level_targets
        cells = []
        for point in points:
            stat = stats.get((indicator.pk, point.pk), {})
            target = Target.objects.pick(targets, indicator.pk, point.pk)
            cells.append(
                {
                    "point": point,
                    "average": stat.get("average"),
                    "count": stat.get("count", 0),
                    "target": target,
                    "met": stat.get("met", 0) if target or stat.get("with_target") else None,
                }
            )
        row = IndicatorRow(indicator=indicator, cells=cells)
        row.baseline = stats.get((indicator.pk, baseline.pk), {}).get("average")
        if latest is not None:
            last = stats.get((indicator.pk, latest.pk), {})
            row.latest = last.get("average")
            row.measured = last.get("count", 0)
            target = Target.objects.pick(targets, indicator.pk, latest.pk)
            row.latest_target = target
            row.met = last.get("met", 0) if target or last.get("with_target") else None
            move = moves.get(indicator.pk)
            if move:
                # Which way is better is the indicator's rule: ask it about a rise.
                rise_is = indicator.movement(0, 1)
                better, worse = ("up", "down") if rise_is == Indicator.BETTER else ("down", "up")
                row.improved, row.worsened = move[better], move[worse]
        rows.append(row)
    return {"points": points, "rows": rows, "latest": latest, "baseline": baseline}


def completeness(program, scope, points):
    """For each point: schools whose sheet is complete (`MonitoringPoint.complete_schools`),
    those that sent some of it (`MonitoringPoint.sending_schools`), none, and those that sent a
    value after the deadline. The first two are read from the schools' tallies (`SheetTally`),
    the late ones from the values. One query per point, whatever the number of schools."""
    base = completeness_base(program, scope)
    return {
        "rows": [completeness_row(program, scope, point, base) for point in points],
        **base,
    }


def completeness_base(program, scope):
    """What every point's completeness is counted against: the indicators a school enters
    and the scope's supported schools."""
    return {
        "indicator_count": program.indicators.entered().of_schools().count(),
        "school_count": supported_schools(program, scope).count(),
    }


def completeness_row(program, scope, point, base):
    """One point's row of `completeness`, counted against `completeness_base`: a value written
    at one point changes its row only (dashboards/cache.py keeps each apart)."""
    total = base["school_count"]
    point.program = program  # already loaded; the cutoff reads its entry window and zone
    late = point.late_sheet_values()
    figures = supported_schools(program, scope).aggregate(
        complete=Count("pk", filter=Q(pk__in=point.complete_schools(base["indicator_count"]))),
        rows=Count("pk", filter=Q(pk__in=point.sending_schools())),
        **(
            {}
            if late is None
            else {"late": Count("pk", filter=Q(pk__in=late.values("organization")))}
        ),
    )
    return {
        "point": point,
        "expected": total,
        "complete": figures["complete"],
        "partial": figures["rows"] - figures["complete"],
        "missing": total - figures["rows"],
        "late": figures.get("late", 0),
        "share": share_of(figures["complete"], total),
    }


@dataclass(frozen=True)
class ShareFigure:
    """One kind of document over the schools of a territory, as the dashboard shows it: the
    counts and the verdict of `expertise.thresholds.KindRow`, without the schools behind them
    (those are the detail page's, `dashboards:expertise`)."""

    kind: str
    label: str
    passed: int
    total: int
    share: object
    threshold: object
    met: object

    @classmethod
    def of(cls, row):
        return cls(row.kind, row.label, row.passed, row.total, row.share, row.threshold, row.met)


def expertise_summary(program, scope):
    """The dashboard's expertise section: the share of participants whose documents passed
    expertise against the order's threshold (`expertise.thresholds.pass_shares`, per territory),
    and the traceability flags summed over the scope's supported schools
    (`expertise.traceability`), with the most flagged schools by name."""
    schools = supported_schools(program, scope)
    traces = trace(
        schools.values_list("pk", flat=True),
        items=RoadmapItem.objects.filter(roadmap__program=program).in_scope(scope),
        documents=Document.objects.filter(program=program),
    )
    flagged = [t for t in traces.values() if t.has_flags]
    names = dict(
        schools.filter(pk__in=[t.school_id for t in flagged]).values_list("pk", "short_name")
    )
    flagged.sort(key=lambda t: (-sum(t.flag_counts.values()), names.get(t.school_id, "")))
    shares = pass_shares(program, schools)
    return {
        "shares": {
            "kinds": [ShareFigure.of(row) for row in shares["kinds"]],
            "territories": [
                (name, [ShareFigure.of(row) for row in rows])
                for name, rows in shares["territories"]
            ],
        },
        "trace": trace_summary(traces),
        "flagged": [
            (
                names.get(t.school_id, ""),
                t.school_id,
                [(FLAG_LABELS[flag], count) for flag, count in t.flag_counts.items() if count],
            )
            for t in flagged[:TOP]
        ],
        "more": max(len(flagged) - TOP, 0),
    }
