"""The read API, version 1 (`/api/v1/`): programs, territories, schools with their yearly
statuses, pairs, roadmaps and items with each school's execution, events with attendance,
indicators, points, targets, approved values, and a program's dashboard figures.

Every list and object goes through its model's access rule (`visible_to`) with the token
owner's rights, so the API shows what that person's pages show; what lies outside answers 404.
Figures follow the dashboard's scope (`dashboards.scope.scope_for`): 403 for those who see a
program but not its dashboard, as on the page. Lists are paged (`page`, `page_size`)."""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.renderers import JSONRenderer

from dashboards.scope import Scope, object_from_query, scope_for
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import CuratorPair, Program
from roadmaps.models import Attendance, Event, ItemExecution, Roadmap, RoadmapItem, late_condition
from schools.models import Municipality, Organization, Region, SchoolStatus

from . import schemas as s
from .auth import BearerToken, RateLimited
from .figures import figures_data


class Utf8Renderer(JSONRenderer):
    """Russian text as it is, not as \\u escapes: readable in a terminal and a third shorter."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Портал адресной поддержки школ: API для чтения",
    version="1",
    description=(
        "Данные портала для аналитиков и информационных систем региона. Доступ по токену, "
        "который человек выпускает на странице «Токены API»: заголовок "
        "`Authorization: Bearer <токен>`. Ответы — с правами владельца токена: видно то же, "
        "что на страницах портала. Списки постраничные: `page`, `page_size` (до 500)."
    ),
    auth=BearerToken(),
    renderer=Utf8Renderer(),
    urls_namespace="api_v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

PAGE = {"page_size": 100, "max_page_size": 500}
OUT_OF_REACH = {401: s.Problem, 404: s.Problem}


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    response = api.create_response(
        request,
        {"detail": "Нужен действующий токен: заголовок «Authorization: Bearer <токен>»."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    response = api.create_response(
        request,
        {"detail": "Слишком много запросов с этим токеном; повторите через минуту."},
        status=429,
    )
    response["Retry-After"] = "60"
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Не найдено."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Нет доступа."}, status=403)


def _territory(queryset, region, municipality, path=""):
    """Rows whose organization (through `path`) lies in the region or municipality asked."""
    prefix = f"{path}__" if path else ""
    if municipality is not None:
        queryset = queryset.filter(**{f"{prefix}municipality": municipality})
    if region is not None:
        queryset = queryset.filter(**{f"{prefix}region": region})
    return queryset


# Territories -----------------------------------------------------------------------------


@api.get("/regions", response=list[s.RegionOut], tags=["Территории"])
@paginate(PageNumberPagination, **PAGE)
def regions(request):
    """Regions where the person sees an organization."""
    seen = Organization.objects.visible_to(request.user)
    return Region.objects.filter(pk__in=seen.values("region"))


@api.get("/municipalities", response=list[s.MunicipalityOut], tags=["Территории"])
@paginate(PageNumberPagination, **PAGE)
def municipalities(request, region: int | None = None):
    """Municipalities where the person sees an organization."""
    seen = Organization.objects.visible_to(request.user)
    found = Municipality.objects.filter(pk__in=seen.values("municipality"))
    return found.filter(region=region) if region is not None else found


# Programs -------------------------------------------------------------------------------


def _program(request, pk):
    return get_object_or_404(Program.objects.visible_to(request.user), pk=pk)


@api.get("/programs", response=list[s.ProgramOut], tags=["Программы"])
@paginate(PageNumberPagination, **PAGE)
def programs(
    request,
    region: int | None = None,
    municipality: int | None = None,
    changed_since: str | None = None,
):
    """Programs the person sees; `region` also takes the municipal programs of its
    municipalities. `changed_since` (ISO date or moment): programs whose record changed since."""
    found = _changed(Program.objects.visible_to(request.user), changed_since)
    if region is not None:
        found = found.filter(Q(region=region) | Q(municipality__region=region))
    if municipality is not None:
        found = found.filter(municipality=municipality)
    return found


@api.get("/programs/{pk}", response={200: s.ProgramOut, **OUT_OF_REACH}, tags=["Программы"])
def program(request, pk: int):
    return _program(request, pk)


@api.get(
    "/programs/{pk}/figures",
    response={200: s.FiguresOut, 403: s.Problem, **OUT_OF_REACH},
    tags=["Программы"],
)
def program_figures(request, pk: int, region: int | None = None, municipality: int | None = None):
    """The program's dashboard figures, whole or for one region or municipality, as the
    dashboard shows them to this person: completion of roadmap items (in total and by module),
    completeness of each monitoring point, entered indicators against baseline and targets
    point by point, and the computed effectiveness indicators."""
    found = _program(request, pk)
    query = {"region": region, "municipality": municipality}
    municipality_obj = object_from_query(
        Municipality.objects.select_related("region"), query, "municipality"
    )
    region_obj = None if municipality_obj else object_from_query(Region.objects, query, "region")
    scope = scope_for(request.user, found, municipality=municipality_obj, region=region_obj)
    territory = scope.territory
    return {
        "program_id": found.pk,
        "territory": {
            "kind": "program"
            if territory is None
            else ("municipality" if scope.municipality else "region"),
            "id": territory.pk if territory else None,
            "name": str(territory) if territory else found.territory_name,
        },
        **figures_data(found, scope),
    }


# Schools and pairs ----------------------------------------------------------------------


@api.get("/schools", response=list[s.SchoolOut], tags=["Школы"])
@paginate(PageNumberPagination, **PAGE)
def schools(
    request,
    program: int | None = None,
    region: int | None = None,
    municipality: int | None = None,
    changed_since: str | None = None,
):
    """Schools the person sees, with their yearly statuses (идентификация). `program`: its
    participants; `changed_since` (ISO date or moment): schools whose record changed since."""
    found = (
        Organization.objects.visible_to(request.user)
        .schools()
        .prefetch_related(
            Prefetch("statuses", queryset=SchoolStatus.objects.order_by("-year", "category"))
        )
    )
    if program is not None:
        found = found.filter(participations__program=_program(request, program))
    return _territory(_changed(found, changed_since), region, municipality)


def _changed(queryset, changed_since):
    """The rows changed since the moment asked (their `updated_at`), all without one."""
    if not changed_since:
        return queryset
    return queryset.filter(updated_at__gte=_moment(changed_since))


def _moment(text, name="changed_since"):
    """A date or an aware moment from ISO text; a date means its midnight in the portal's zone."""
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise ValueError(text)
            moment = datetime.combine(day, time.min)
    except ValueError as error:
        raise HttpError(
            422, f"{name}: дата или момент в формате ISO 8601, например 2024-05-31."
        ) from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@api.get("/pairs", response=list[s.PairOut], tags=["Школы"])
@paginate(PageNumberPagination, **PAGE)
def pairs(
    request, program: int | None = None, region: int | None = None, municipality: int | None = None
):
    """Curator pairs of the programs the person sees; the territory is the supported
    school's."""
    found = CuratorPair.objects.visible_to(request.user).order_by("program", "pk")
    if program is not None:
        found = found.filter(program=program)
    return _territory(found, region, municipality, "supported_school")


# Roadmaps -------------------------------------------------------------------------------


@api.get("/roadmaps", response=list[s.RoadmapOut], tags=["Дорожные карты"])
@paginate(PageNumberPagination, **PAGE)
def roadmaps(request, program: int | None = None):
    found = Roadmap.objects.visible_to(request.user).order_by("program", "pk")
    return found.filter(program=program) if program is not None else found


@api.get("/items", response=list[s.ItemOut], tags=["Дорожные карты"])
@paginate(PageNumberPagination, **PAGE)
def items(
    request,
    program: int | None = None,
    roadmap: int | None = None,
    region: int | None = None,
    municipality: int | None = None,
    changed_since: str | None = None,
):
    """Items of the roadmaps the person sees, with their state, whether they are late and each
    responsible organization's execution. `region`/`municipality`: the items of that territory
    as the dashboard counts them (`RoadmapItemQuerySet.in_scope`). `changed_since`: items
    changed since that date or moment."""
    found = _changed(RoadmapItem.objects.visible_to(request.user), changed_since)
    if program is not None:
        found = found.filter(roadmap__program=program)
    if roadmap is not None:
        found = found.filter(roadmap=roadmap)
    if region is not None or municipality is not None:
        found = found.in_scope(_scope_of(municipality, region))
    return (
        found.select_related("module")
        .prefetch_related(
            Prefetch("executions", queryset=ItemExecution.objects.order_by("organization_id"))
        )
        .annotate(
            is_late=ExpressionWrapper(late_condition(timezone.now()), output_field=BooleanField())
        )
        .order_by("roadmap", "order", "pk")
    )


def _scope_of(municipality, region):
    if municipality is not None:
        return Scope(municipality=get_object_or_404(Municipality, pk=municipality))
    return Scope(region=get_object_or_404(Region, pk=region))


# Events ---------------------------------------------------------------------------------


@api.get("/events", response=list[s.EventOut], tags=["События"])
@paginate(PageNumberPagination, **PAGE)
def events(
    request,
    program: int | None = None,
    since: str | None = None,
    changed_since: str | None = None,
):
    """Events of the programs the person sees, with the invited organizations and the
    attendance. `since`: events starting from that date or moment; `changed_since`: events
    whose record changed since."""
    found = _changed(Event.objects.visible_to(request.user), changed_since).prefetch_related(
        Prefetch("invited", queryset=Organization.objects.only("pk").order_by("pk")),
        Prefetch("attendances", queryset=Attendance.objects.order_by("organization_id")),
    )
    if program is not None:
        found = found.filter(program=program)
    if since:
        found = found.filter(starts_at__gte=_moment(since, "since"))
    return found.order_by("starts_at", "pk")


# Monitoring -----------------------------------------------------------------------------


@api.get("/indicators", response=list[s.IndicatorOut], tags=["Мониторинг"])
@paginate(PageNumberPagination, **PAGE)
def indicators(request, program: int | None = None, changed_since: str | None = None):
    """Indicators of the programs the person sees; `changed_since`: changed since then."""
    found = Indicator.objects.visible_to(request.user).order_by("program", "order", "pk")
    found = _changed(found, changed_since)
    return found.filter(program=program) if program is not None else found


@api.get("/points", response=list[s.PointOut], tags=["Мониторинг"])
@paginate(PageNumberPagination, **PAGE)
def points(request, program: int | None = None, changed_since: str | None = None):
    """Monitoring points of the programs the person sees; `changed_since`: changed since then."""
    found = MonitoringPoint.objects.visible_to(request.user).order_by("program", "date", "pk")
    found = _changed(found, changed_since)
    return found.filter(program=program) if program is not None else found


@api.get("/targets", response=list[s.TargetOut], tags=["Мониторинг"])
@paginate(PageNumberPagination, **PAGE)
def targets(request, program: int | None = None, point: int | None = None):
    """Targets of the indicators the person sees: the program's, and those of the schools the
    person sees."""
    found = Target.objects.filter(
        Q(organization__isnull=True)
        | Q(organization__in=Organization.objects.visible_to(request.user)),
        indicator__in=Indicator.objects.visible_to(request.user),
    ).order_by("indicator", "pk")
    if program is not None:
        found = found.filter(indicator__program=program)
    if point is not None:
        found = found.filter(point=point)
    return found


@api.get("/values", response=list[s.ValueOut], tags=["Мониторинг"])
@paginate(PageNumberPagination, **PAGE)
def values(
    request,
    program: int | None = None,
    point: int | None = None,
    indicator: int | None = None,
    region: int | None = None,
    municipality: int | None = None,
    changed_since: str | None = None,
):
    """Approved values (those every figure counts, `MeasurementQuerySet.counted`) the person
    sees. `changed_since`: values approved since that date or moment."""
    found = Measurement.objects.visible_to(request.user).counted().order_by("point", "pk")
    if program is not None:
        found = found.filter(point__program=program)
    if point is not None:
        found = found.filter(point=point)
    if indicator is not None:
        found = found.filter(indicator=indicator)
    if changed_since:
        found = found.filter(approved_at__gte=_moment(changed_since))
    return _territory(found, region, municipality, "organization")
