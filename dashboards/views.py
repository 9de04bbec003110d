"""Dashboards: a program's, optionally narrowed to one municipality or region (a territory's
view of a national program), and a territory's list of programs.

Every figure is aggregated in the database (conditional Count, Avg, correlated subqueries), so
the number of queries does not depend on the number of schools or items: a national program of
3,000 schools and 90,000 items costs the same number of queries as one of five schools.

Who may look: the program's overseers (`Program.objects.overseen_by`: staff of its territory and
of its owner and operator) see it whole or narrowed to any territory; staff of a municipality or
region see it narrowed to their territory (`Municipality.objects.covered_by`,
`Region.objects.covered_whole_by`). Schools and curators see the program but not its dashboard
(403); those who do not see the program get 404.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from core.access import visible_or_404
from core.exports import wants_xlsx, xlsx_response
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Participant, Program
from roadmaps.models import RoadmapItem
from schools.filters import MANY_MUNICIPALITIES, municipality_choices
from schools.models import Municipality, Organization, Region

from .charts import bar_chart, cached, dynamics_chart
from .effectiveness import WHOLE, Scope, compute, compute_all, scoped_items, supported_schools
from .tables import (
    CompletenessSummaryTable,
    CompletenessTable,
    EffectivenessTable,
    IndicatorSchoolsTable,
    IndicatorSummaryTable,
    ModuleTable,
    ResponsibleTable,
    effectiveness_row_table,
)

EXPORT_NAMES = {
    "responsible": "Исполнение по ответственным",
    "modules": "Исполнение по модулям",
    "effectiveness": "Показатели эффективности",
    "completeness": "Полнота мониторинга",
    "indicators": "Показатели по точкам",
}
TOP = 10
# Per-school lines on a dynamics chart up to this many schools; beyond it, the average only.
SCHOOL_LINES = 8


# --- Access and scope ------------------------------------------------------------------------


def program_and_scope(request, pk):
    """The program and the part of it the user may watch, from ?municipality= or ?region=."""
    program = visible_or_404(
        Program.objects.select_related("region", "municipality__region", "owner"),
        request.user,
        pk=pk,
    )
    return program, _scope(request, program)


def _scope(request, program):
    user = request.user
    municipality = _get(Municipality.objects.select_related("region"), request.GET, "municipality")
    region = None if municipality else _get(Region.objects.all(), request.GET, "region")
    if Program.objects.overseen_by(user).contains(program):
        return Scope(municipality=municipality, region=region)
    if municipality is None and region is None:
        # A municipality's staff open a regional or national program: their own part of it.
        covered = list(Municipality.objects.covered_by(user).select_related("region")[:2])
        regions = list(Region.objects.covered_whole_by(user)[:2])
        if len(regions) == 1:
            region = regions[0]
        elif len(covered) == 1:
            municipality = covered[0]
    if municipality is not None and (Municipality.objects.covered_by(user).contains(municipality)):
        return Scope(municipality=municipality)
    if region is not None and Region.objects.covered_whole_by(user).contains(region):
        return Scope(region=region)
    raise PermissionDenied(
        "Сводка программы доступна сотрудникам органов управления её территории."
    )


def _get(queryset, data, name):
    value = data.get(name)
    if not value:
        return None
    try:
        return queryset.get(pk=int(value))
    except (ValueError, queryset.model.DoesNotExist) as error:
        raise Http404 from error


def scope_choices(request, program, scope):
    """Regions and municipalities the user may narrow this program's dashboard to. A national
    program reaches into hundreds of municipalities: then they are offered within the region
    chosen first."""
    with_schools = Municipality.objects.filter(
        pk__in=Organization.objects.filter(participations__program=program).values("municipality")
    ).select_related("region")
    if not Program.objects.overseen_by(request.user).contains(program):
        with_schools = with_schools.filter(
            pk__in=Municipality.objects.covered_by(request.user).values("pk")
        )
    regions = Region.objects.filter(pk__in=with_schools.values("region")).order_by("name")
    region = scope.region or (scope.municipality.region if scope.municipality else None)
    if region is not None:
        municipalities = with_schools.filter(region=region)
    elif with_schools.count() > MANY_MUNICIPALITIES:
        municipalities = with_schools.none()
    else:
        municipalities = with_schools
    return {
        "regions": list(regions),
        "region": region,
        "municipalities": list(municipalities.order_by("name")),
    }


# --- Figures ---------------------------------------------------------------------------------


def _item_counts(prefix, today):
    """Conditional counts of items (through `prefix` to the item): done, late, …"""
    p = f"{prefix}__" if prefix else ""
    open_ = ~Q(**{f"{p}status__in": RoadmapItem.CLOSED})
    return {
        "total": Count("pk", filter=~Q(**{f"{p}status": RoadmapItem.Status.CANCELLED})),
        "done": Count("pk", filter=Q(**{f"{p}status": RoadmapItem.Status.DONE})),
        "in_progress": Count("pk", filter=Q(**{f"{p}status": RoadmapItem.Status.IN_PROGRESS})),
        "not_done": Count("pk", filter=Q(**{f"{p}status": RoadmapItem.Status.NOT_DONE})),
        "late": Count("pk", filter=open_ & Q(**{f"{p}due_on__lt": today})),
    }


def _share(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def roadmap_summary(program, scope, today):
    items = scoped_items(program, scope)
    by_module = list(
        items.values("module_id", "module__title")
        .annotate(**_item_counts("", today))
        .order_by("module__order", "module__title")
    )
    # The totals are the modules' sums: one scan of the items, not two.
    totals = {key: sum(row[key] for row in by_module) for key in _item_counts("", today)}
    totals["share"] = _share(totals["done"], totals["total"])
    for row in by_module:
        row["share"] = _share(row["done"], row["total"])
        row["title"] = row["module__title"] or "Без модуля"
    responsible = RoadmapItem.responsible.through.objects.filter(roadmapitem__in=items)
    # Grouped by id alone: joining the names into 90,000 rows costs more than fetching the
    # names of the rows shown.
    by_responsible = (
        responsible.values("organization_id")
        .annotate(**_item_counts("roadmapitem", today))
        .order_by("-late", "organization_id")
    )
    late = items.late(today).select_related("roadmap", "module").order_by("due_on", "pk")[:TOP]
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


def _target_filter(target):
    lookup = {"ge": "value__gte", "le": "value__lte", "eq": "value"}[target.comparison]
    return Q(indicator_id=target.indicator_id, point_id=target.point_id, **{lookup: target.value})


def indicator_summary(program, scope):
    """Each entered indicator against its baseline and program targets, point by point, over
    the supported schools of the scope; how many schools met the target at the last point with
    values, and how many went up or down since the baseline."""
    points = list(program.points.order_by("date"))
    indicators = list(
        program.indicators.filter(method=Indicator.Method.ENTERED).prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(point__isnull=False, organization__isnull=True),
                to_attr="point_targets",
            )
        )
    )
    if not indicators or not points:
        return {"points": points, "rows": [], "latest": None, "baseline": None}
    values = Measurement.objects.filter(
        indicator__in=[i.pk for i in indicators],
        value__isnull=False,
        organization__in=supported_schools(program, scope),
    )
    targets = [t for i in indicators for t in i.point_targets]
    figures = {"average": Avg("value"), "count": Count("pk")}
    if targets:
        figures["met"] = Count("pk", filter=reduce(or_, (_target_filter(t) for t in targets)))
    stats = {
        (row["indicator_id"], row["point_id"]): row
        for row in values.values("indicator_id", "point_id").annotate(**figures)
    }
    with_values = [p for p in points if any((i.pk, p.pk) in stats for i in indicators)]
    latest = with_values[-1] if with_values else None
    baseline = next((p for p in points if p.kind == MonitoringPoint.Kind.BASELINE), points[0])
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
        by_point = {t.point_id: t for t in indicator.point_targets}
        cells = []
        for point in points:
            stat = stats.get((indicator.pk, point.pk), {})
            target = by_point.get(point.pk)
            cells.append(
                {
                    "point": point,
                    "average": stat.get("average"),
                    "count": stat.get("count", 0),
                    "target": target,
                    "met": stat.get("met", 0) if target else None,
                }
            )
        row = IndicatorRow(indicator=indicator, cells=cells)
        row.baseline = stats.get((indicator.pk, baseline.pk), {}).get("average")
        if latest is not None:
            last = stats.get((indicator.pk, latest.pk), {})
            row.latest = last.get("average")
            row.measured = last.get("count", 0)
            target = by_point.get(latest.pk)
            row.latest_target = target
            row.met = last.get("met", 0) if target else None
            move = moves.get(indicator.pk)
            if move:
                better, worse = ("up", "down") if indicator.direction == "up" else ("down", "up")
                row.improved, row.worsened = move[better], move[worse]
        rows.append(row)
    return {"points": points, "rows": rows, "latest": latest, "baseline": baseline}


def _cutoff(point, zone):
    """Values submitted from this moment on are late: the day after the deadline, in the
    program region's time zone."""
    return datetime.combine(point.entry_deadline + timedelta(days=1), time.min, tzinfo=zone)


def completeness(program, scope, points):
    """For each point: schools that submitted every entered school indicator, some, none, and
    those that submitted after the deadline. One query per point."""
    entered = list(program.indicators.entered().of_schools().values_list("pk", flat=True))
    schools = supported_schools(program, scope)
    total = schools.count()
    zone = ZoneInfo(program.timezone_name)
    late = [
        Q(point=point, submitted_at__gte=_cutoff(point, zone))
        for point in points
        if point.entry_deadline
    ]
    counts = {}
    if entered and points:
        per_school = (
            Measurement.objects.filter(
                point__in=points,
                indicator__in=entered,
                status__in=Measurement.SENT,
                organization__in=schools,
            )
            .values("point_id", "organization_id")
            .annotate(
                n=Count("pk"),
                n_late=Count("pk", filter=reduce(or_, late)) if late else Value(0),
            )
        )
        counts = regroup(
            per_school,
            "point_id",
            {"complete": f'"n" >= {int(len(entered))}', "late": '"n_late" > 0'},
        )
    rows = []
    for point in points:
        figures = counts.get(point.pk, {"rows": 0, "complete": 0, "late": 0})
        rows.append(
            {
                "point": point,
                "expected": total,
                "complete": figures["complete"],
                "partial": figures["rows"] - figures["complete"],
                "missing": total - figures["rows"],
                "late": figures["late"],
                "share": _share(figures["complete"], total),
            }
        )
    return {"rows": rows, "indicator_count": len(entered), "school_count": total}


# --- Pages -----------------------------------------------------------------------------------


def dashboard(request, pk):
    program, scope = program_and_scope(request, pk)
    today = timezone.localtime(timezone.now(), ZoneInfo(program.timezone_name)).date()
    roadmap = roadmap_summary(program, scope, today)
    indicators = indicator_summary(program, scope)
    effectiveness = compute_all(program, scope)
    completeness_figures = completeness(program, scope, indicators["points"])
    if wants_xlsx(request):
        exports = {
            "responsible": lambda: ResponsibleTable(_named(list(roadmap["by_responsible"]))),
            "modules": lambda: ModuleTable(roadmap["by_module"]),
            "effectiveness": lambda: EffectivenessTable(effectiveness),
            "completeness": lambda: CompletenessSummaryTable(completeness_figures["rows"]),
            "indicators": lambda: IndicatorSummaryTable(
                indicators["rows"], points=indicators["points"]
            ),
        }
        wanted = request.GET.get("table")
        if wanted in exports:
            return xlsx_response(
                exports[wanted](), f"{EXPORT_NAMES[wanted]} — {program.short_title}"
            )
    # The ten with the most late items; every responsible is in the Excel file.
    responsible = ResponsibleTable(_named(list(roadmap["by_responsible"][:TOP])))
    module_chart = cached(
        bar_chart,
        "Выполнено мероприятий по модулям, %",
        [row["title"] for row in roadmap["by_module"]],
        [row["share"] or 0 for row in roadmap["by_module"]],
        unit="%",
        max_value=100,
        height=200,
    )
    return render(
        request,
        "dashboards/program.html",
        {
            "program": program,
            "scope": scope,
            "scope_query": scope.query(),
            "scope_choices": scope_choices(request, program, scope),
            "overseen": Program.objects.overseen_by(request.user).contains(program),
            "today": today,
            "roadmap": roadmap,
            "responsible": responsible,
            "module_chart": module_chart,
            "indicators": indicators,
            "completeness": completeness_figures,
            "effectiveness": effectiveness,
            "can_edit": Program.objects.editable_by(request.user).contains(program),
        },
    )


def _named(rows):
    names = dict(
        Organization.objects.filter(pk__in=[r["organization_id"] for r in rows]).values_list(
            "pk", "short_name"
        )
    )
    for row in rows:
        row["organization__short_name"] = names.get(row["organization_id"], "")
    return rows


def indicator_chart(request, pk):
    """One indicator's dynamics (average of the scope's schools against the program's targets),
    as an SVG fragment that the dashboard loads as it scrolls into view."""
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=pk)
    program, scope = program_and_scope(request, indicator.program_id)
    summary = _dynamics(indicator, program, scope)
    return HttpResponse(summary["chart"])


def _dynamics(indicator, program, scope, schools=None):
    points = list(program.points.order_by("date"))
    values = Measurement.objects.filter(
        indicator=indicator,
        value__isnull=False,
        organization__in=supported_schools(program, scope),
    )
    averages = dict(values.values("point_id").annotate(a=Avg("value")).values_list("point_id", "a"))
    targets = dict(
        Target.objects.filter(
            indicator=indicator, organization__isnull=True, point__isnull=False
        ).values_list("point_id", "value")
    )
    series = {"Среднее по школам": [averages.get(p.pk) for p in points]}
    if schools:
        for name, by_point in schools.items():
            series[name] = [by_point.get(p.pk) for p in points]
    chart = cached(
        dynamics_chart,
        f"{indicator.code}. {indicator.title[:80]}",
        [p.title for p in points],
        series,
        target=[targets.get(p.pk) for p in points],
        unit=indicator.get_unit_display() if indicator.unit == Indicator.Unit.PERCENT else "",
    )
    return {"chart": chart, "points": points, "targets": targets}


def indicator_dashboard(request, pk):
    """One indicator per school: value at each point, change since the baseline, target."""
    indicator = get_object_or_404(
        Indicator.objects.visible_to(request.user).select_related("program"), pk=pk
    )
    program, scope = program_and_scope(request, indicator.program_id)
    points = list(program.points.order_by("date"))
    baseline = next((p for p in points if p.kind == MonitoringPoint.Kind.BASELINE), None) or (
        points[0] if points else None
    )
    schools = supported_schools(program, scope).select_related("municipality")
    # Change and target are read at the last point that has values, not at one still to come.
    measured = set(
        Measurement.objects.filter(
            indicator=indicator, value__isnull=False, organization__in=schools
        ).values_list("point", flat=True)
    )
    last = next((p for p in reversed(points) if p.pk in measured), None)
    program_target = (
        Target.objects.filter(indicator=indicator, organization__isnull=True, point=last).first()
        if last
        else None
    )
    annotations = {}
    for point in points:
        annotations[f"p{point.pk}"] = Subquery(
            Measurement.objects.filter(
                indicator=indicator, point=point, organization=OuterRef("pk")
            ).values("value")[:1]
        )
    if last:
        annotations["own_target"] = Subquery(
            Target.objects.filter(
                indicator=indicator, point=last, organization=OuterRef("pk")
            ).values("value")[:1]
        )
    table = IndicatorSchoolsTable(
        schools.annotate(**annotations),
        points=points,
        baseline=baseline,
        last=last,
        indicator=indicator,
        program_target=program_target,
    )
    if wants_xlsx(request):
        return xlsx_response(table, f"Показатель {indicator.code} по школам")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    school_lines = None
    page_rows = list(table.page.object_list.data) if table.page else []
    if len(page_rows) <= SCHOOL_LINES and table.paginator.count <= SCHOOL_LINES:
        school_lines = {
            school.short_name: {p.pk: getattr(school, f"p{p.pk}") for p in points}
            for school in page_rows
        }
    dynamics = _dynamics(indicator, program, scope, schools=school_lines)
    return render(
        request,
        "dashboards/indicator.html",
        {
            "program": program,
            "indicator": indicator,
            "scope": scope,
            "scope_query": scope.query(),
            "table": table,
            "chart": dynamics["chart"],
            "many_schools": school_lines is None,
        },
    )


def point_completeness(request, pk):
    """Who has not submitted a point's values, and who submitted late."""
    point = get_object_or_404(MonitoringPoint.objects.visible_to(request.user), pk=pk)
    program, scope = program_and_scope(request, point.program_id)
    entered = program.indicators.entered().of_schools()
    expected = entered.count()
    mine = Measurement.objects.filter(
        point=point, indicator__in=entered, organization=OuterRef("pk"), status__in=Measurement.SENT
    )
    counted = mine.order_by().values("organization").annotate(n=Count("pk")).values("n")
    schools = (
        supported_schools(program, scope)
        .select_related("municipality")
        .annotate(
            submitted=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
            last_submitted=Subquery(
                mine.order_by().values("organization").annotate(m=Max("submitted_at")).values("m")
            ),
        )
    )
    if point.entry_deadline:
        cutoff = _cutoff(point, ZoneInfo(program.timezone_name))
        schools = schools.annotate(late=Exists(mine.filter(submitted_at__gte=cutoff)))
    else:
        schools = schools.annotate(late=Value(False))
    show = request.GET.get("show", "")
    if show == "missing":
        schools = schools.filter(submitted__lt=expected)
    elif show == "late":
        schools = schools.filter(late=True)
    table = CompletenessTable(schools, expected=expected)
    if wants_xlsx(request):
        return xlsx_response(table, f"Полнота — {point.title}")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    with timezone.override(program.timezone_name):
        return render(
            request,
            "dashboards/completeness.html",
            {
                "program": program,
                "point": point,
                "scope": scope,
                "scope_query": scope.query(),
                "table": table,
                "expected": expected,
                "show": show,
            },
        )


def effectiveness_detail(request, pk):
    """The rows an effectiveness figure was computed from: counted and not counted, each with
    its reason."""
    indicator = get_object_or_404(
        Indicator.objects.visible_to(request.user).select_related("program"), pk=pk
    )
    if not indicator.is_computed:
        raise Http404("Показатель вводится, а не вычисляется.")
    program, scope = program_and_scope(request, indicator.program_id)
    result = compute(indicator, scope)
    tables = {
        "counted": effectiveness_row_table(result.row_kind, result.rows_counted, prefix="c-"),
        "not_counted": effectiveness_row_table(
            result.row_kind, result.rows_not_counted, prefix="n-"
        ),
    }
    wanted = request.GET.get("table")
    if wants_xlsx(request) and wanted in tables:
        name = "учтено" if wanted == "counted" else "не учтено"
        return xlsx_response(tables[wanted], f"{indicator.code} — {name}")
    for table in tables.values():
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
    with timezone.override(program.timezone_name):
        return render(
            request,
            "dashboards/effectiveness.html",
            {
                "program": program,
                "indicator": indicator,
                "scope": scope,
                "scope_query": scope.query(),
                "result": result,
                "counted": tables["counted"],
                "not_counted": tables["not_counted"],
            },
        )


def territory(request):
    """The programs that reach into a municipality or region the user covers, with their
    headline figures there and links to the narrowed dashboards."""
    user = request.user
    municipality = _get(Municipality.objects.covered_by(user), request.GET, "municipality")
    region = (
        None if municipality else _get(Region.objects.covered_whole_by(user), request.GET, "region")
    )
    if municipality is None and region is None:
        region = Region.objects.covered_whole_by(user).first()
        if region is None:
            municipality = Municipality.objects.covered_by(user).select_related("region").first()
    if municipality is None and region is None:
        raise PermissionDenied("Сводка по территории доступна сотрудникам органов управления.")
    scope = Scope(municipality=municipality, region=region)
    today = timezone.localdate()
    in_scope = Organization.objects.filter(scope.organizations())
    programs = (
        Program.objects.visible_to(user)
        .filter(
            Q(pk__in=Participant.objects.filter(organization__in=in_scope).values("program"))
            | Q(**{"municipality" if municipality else "region": scope.territory})
        )
        .select_related("region", "municipality")
        .order_by("-starts_on", "short_title")
    )
    program_ids = list(programs.values_list("pk", flat=True))
    schools = dict(
        Participant.objects.filter(
            program__in=program_ids,
            role=Participant.Role.SUPPORTED,
            organization__in=in_scope,
        )
        .values("program")
        .annotate(n=Count("organization", distinct=True))
        .values_list("program", "n")
    )
    items = {
        row["roadmap__program"]: row
        for row in RoadmapItem.objects.filter(roadmap__program__in=program_ids)
        .filter(
            scope.organizations("roadmap__organization")
            | scope.organizations("roadmap__pair__supported_school")
        )
        .values("roadmap__program")
        .annotate(**_item_counts("", today))
    }
    rows = []
    for program in programs:
        figures = items.get(program.pk, {})
        rows.append(
            {
                "program": program,
                "schools": schools.get(program.pk, 0),
                "items": figures.get("total", 0),
                "done": figures.get("done", 0),
                "late": figures.get("late", 0),
                "share": _share(figures.get("done", 0), figures.get("total", 0)),
            }
        )
    return render(
        request,
        "dashboards/territory.html",
        {
            "scope": scope,
            "scope_query": scope.query(),
            "rows": rows,
            "municipalities": municipality_choices(
                user, {"region": str((region or municipality.region).pk)}
            ),
            "regions": Region.objects.covered_whole_by(user),
        },
    )


def dashboard_url(program, scope=WHOLE):
    url = reverse("dashboards:dashboard", args=[program.pk])
    return f"{url}?{scope.query()}" if scope.query() else url
