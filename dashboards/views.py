"""Dashboard pages: a program's, optionally narrowed to one municipality or region (a
territory's view of a national program), one indicator's, a point's completeness, the rows behind
an effectiveness figure, and a territory's list of programs. Who may look is `scope.py`; the
figures are `figures.py` and `effectiveness.py`."""

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core import timezones
from core.exports import wants_xlsx, xlsx_response
from core.lists import ListPage
from core.middleware import DataWrittenMiddleware
from core.pagination import paginate
from core.text import shorten
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Participant, Program
from roadmaps.models import RoadmapItem, completion_annotations, completion_share
from schools.filters import municipality_choices
from schools.models import Municipality, Organization, Region

from .cache import dashboard_figures
from .charts import NO_VALUES, bar_chart, cached, dynamics_chart, has_values
from .effectiveness import compute, supported_schools
from .filters import CompletenessFilter
from .scope import WHOLE, Scope, object_from_query, program_and_scope, scope_choices
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
# How long a section's HTML is kept: a busy dashboard serves it many times over while its figure
# is current; each newer figure gets a key of its own, so the old ones only take room.
FRAGMENT_SECONDS = 10 * 60
# Per-school lines on a dynamics chart up to this many schools; beyond it, the average only.
SCHOOL_LINES = 8


def dashboard(request, pk):
    program, scope = program_and_scope(request, pk)
    now = timezone.now()
    today = program.local_today(now)
    # Computed once per program, scope, kind and day, until the data under them changes; the
    # person's own latest save is never shown older (cache.py).
    figures = dashboard_figures(
        program, scope, now, request.session.get(DataWrittenMiddleware.SESSION_KEY, 0)
    )
    roadmap, indicators = figures["roadmap"], figures["indicators"]
    effectiveness, completeness_figures = figures["effectiveness"], figures["completeness"]
    # Each table is one definition, rendered on the page and into its Excel file alike. Made
    # when used: the page renders a table only when its section is not kept yet.
    scope_query = scope.query()
    tables = {
        "modules": lambda: ModuleTable(roadmap["by_module"]),
        "effectiveness": lambda: EffectivenessTable(effectiveness, scope_query=scope_query),
        "completeness": lambda: CompletenessSummaryTable(
            completeness_figures["rows"], scope_query=scope_query
        ),
        "indicators": lambda: IndicatorSummaryTable(
            indicators["rows"], points=indicators["points"], scope_query=scope_query
        ),
        # The ten with the most late items; every responsible is in the Excel file.
        "responsible": lambda: ResponsibleTable(_named(list(roadmap["by_responsible"][:TOP]))),
    }
    if wants_xlsx(request):
        exports = {
            **tables,
            "responsible": lambda: ResponsibleTable(_named(list(roadmap["by_responsible"]))),
        }
        wanted = request.GET.get("table")
        if wanted in exports:
            return xlsx_response(
                exports[wanted](), f"{EXPORT_NAMES[wanted]} — {program.short_title}"
            )

    def module_chart():
        return cached(
            bar_chart,
            "Выполнено пунктов дорожных карт по модулям, %",
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
            "scope_query": scope_query,
            "scope_choices": scope_choices(request, program, scope),
            "overseen": Program.objects.overseen_by(request.user).contains(program),
            "today": today,
            "roadmap": roadmap,
            "tables": tables,
            "module_chart": module_chart,
            "indicators": indicators,
            "completeness": completeness_figures,
            "effectiveness": effectiveness,
            "expertise": figures["expertise"],
            # Each section's HTML is kept under the stamp of the figure it shows (cache.py),
            # so that a page whose figures are kept renders only what is the person's own.
            "stamps": figures["stamps"],
            "fragment_seconds": FRAGMENT_SECONDS,
            # Figures served while another process recomputes them, with their time on the
            # program region's clock.
            "as_of": figures["as_of"]
            and timezones.time_of_day(figures["as_of"], program.timezone_name),
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
    points = list(program.points.order_by("date", "pk"))
    values = Measurement.objects.counted().filter(
        indicator=indicator, organization__in=supported_schools(program, scope)
    )
    averages = dict(values.values("point_id").annotate(a=Avg("value")).values_list("point_id", "a"))
    program_targets = list(Target.objects.filter(indicator=indicator, organization__isnull=True))
    targets = {
        p.pk: target.value
        for p in points
        if (target := Target.objects.pick(program_targets, indicator.pk, p.pk)) is not None
    }
    series = {"Среднее по школам": [averages.get(p.pk) for p in points]}
    if schools:
        for name, by_point in schools.items():
            series[name] = [by_point.get(p.pk) for p in points]
    plan = [targets.get(p.pk) for p in points]
    if not has_values(*series.values(), plan):
        return {
            "chart": f'<p class="text-body-secondary small m-2">{NO_VALUES}</p>',
            "points": points,
            "targets": targets,
        }
    chart = cached(
        dynamics_chart,
        f"{indicator.code}. {shorten(indicator.display_title, 80)}",
        [p.title for p in points],
        series,
        target=plan,
        unit=indicator.get_unit_display() if indicator.unit == Indicator.Unit.PERCENT else "",
    )
    return {"chart": chart, "points": points, "targets": targets}


class IndicatorSchoolsPage(ListPage):
    """One indicator per school: value at each point, change since the baseline, target."""

    table_class = IndicatorSchoolsTable
    template_name = "dashboards/indicator.html"

    def get_queryset(self):
        self.indicator = get_object_or_404(
            Indicator.objects.visible_to(self.request.user).select_related("program"),
            pk=self.kwargs["pk"],
        )
        self.program, self.scope = program_and_scope(self.request, self.indicator.program_id)
        self.points = list(self.program.points.order_by("date", "pk"))
        schools = supported_schools(self.program, self.scope).select_related("municipality")
        counted = Measurement.objects.counted().filter(indicator=self.indicator)
        # Change and target are read at the last point that has values, not at one still to
        # come.
        measured = set(counted.filter(organization__in=schools).values_list("point", flat=True))
        self.last = next((p for p in reversed(self.points) if p.pk in measured), None)
        annotations = {}
        for point in self.points:
            annotations[f"p{point.pk}"] = Subquery(
                counted.filter(point=point, organization=OuterRef("pk")).values("value")[:1]
            )
        if self.last:
            applying = Target.objects.applying(self.indicator, self.last, OuterRef("pk"))
            annotations["target_value"] = Subquery(applying.values("value")[:1])
            annotations["target_comparison"] = Subquery(applying.values("comparison")[:1])
        return schools.annotate(**annotations)

    def get_table_kwargs(self):
        return {
            "points": self.points,
            "baseline": MonitoringPoint.baseline_among(self.points, self.last),
            "last": self.last,
            "indicator": self.indicator,
        }

    def get_export_name(self):
        return f"Показатель {self.indicator.code} по школам"

    def get_context_data(self, *, table, **kwargs):
        # A line per school while the page's schools are few; the average only beyond that.
        school_lines = None
        page_rows = list(table.page.object_list.data) if table.page else []
        if len(page_rows) <= SCHOOL_LINES and table.paginator.count <= SCHOOL_LINES:
            school_lines = {
                school.short_name: {p.pk: getattr(school, f"p{p.pk}") for p in self.points}
                for school in page_rows
            }
        dynamics = _dynamics(self.indicator, self.program, self.scope, schools=school_lines)
        return {
            **super().get_context_data(table=table, **kwargs),
            "program": self.program,
            "indicator": self.indicator,
            "scope": self.scope,
            "scope_query": self.scope.query(),
            "chart": dynamics["chart"],
            "many_schools": school_lines is None,
        }


class CompletenessPage(ListPage):
    """Who has not submitted a point's values, and who submitted late."""

    table_class = CompletenessTable
    filterset_class = CompletenessFilter
    template_name = "dashboards/completeness.html"

    def get_queryset(self):
        point = get_object_or_404(
            MonitoringPoint.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        self.program, self.scope = program_and_scope(self.request, point.program_id)
        point.program = self.program  # already loaded; the cutoff reads its entry window and zone
        self.point = point
        self.expected = point.sheet_indicators().count()
        mine = point.sent_sheet_values().filter(organization=OuterRef("pk"))
        # How many the school sent is its tally (`SheetTally`): no grouping of its values.
        counted = point.sheet_tallies.filter(organization=OuterRef("pk")).values("sent")
        late = point.late_sheet_values()
        return (
            supported_schools(self.program, self.scope)
            .select_related("municipality")
            .annotate(
                submitted=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
                last_submitted=Subquery(
                    mine.order_by()
                    .values("organization")
                    .annotate(m=Max("submitted_at"))
                    .values("m")
                ),
                late=(
                    Value(False, output_field=BooleanField())
                    if late is None
                    else Exists(late.filter(organization=OuterRef("pk")))
                ),
            )
        )

    def get_timezone(self):
        return self.program.timezone_name

    def get_filterset_kwargs(self):
        return {"point": self.point}

    def get_table_kwargs(self):
        return {"expected": self.expected}

    def get_export_name(self):
        return f"Полнота — {self.point.title}"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "program": self.program,
            "point": self.point,
            "scope": self.scope,
            "scope_query": self.scope.query(),
            "expected": self.expected,
            "show": self.request.GET.get("show", ""),
        }


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
        paginate(request, table)
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
    municipality = object_from_query(
        Municipality.objects.covered_by(user), request.GET, "municipality"
    )
    region = (
        None
        if municipality
        else object_from_query(Region.objects.covered_whole_by(user), request.GET, "region")
    )
    if municipality is None and region is None:
        region = Region.objects.covered_whole_by(user).first()
        if region is None:
            municipality = Municipality.objects.covered_by(user).select_related("region").first()
    if municipality is None and region is None:
        raise PermissionDenied("Сводка по территории доступна сотрудникам органов управления.")
    scope = Scope(municipality=municipality, region=region)
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
    programs = list(programs)
    program_ids = [program.pk for program in programs]
    schools = dict(
        Participant.objects.supported()
        .filter(program__in=program_ids, organization__in=in_scope)
        .values("program")
        .annotate(n=Count("organization", distinct=True))
        .values_list("program", "n")
    )
    items = {
        row["roadmap__program"]: row
        for row in RoadmapItem.objects.filter(roadmap__program__in=program_ids)
        .in_scope(scope)
        .values("roadmap__program")
        .annotate(**completion_annotations(programs=programs))
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
                "cancelled": figures.get("cancelled", 0),
                "share": completion_share(figures.get("done", 0), figures.get("total", 0)),
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
