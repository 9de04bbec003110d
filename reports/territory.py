"""The territory a report about a program covers, and whether it lists schools one by one.

A report about a program (a monitoring note, a passport, event participation) may be narrowed to
one region or municipality (?region= or ?municipality=, as the dashboards are; `render_report
--region / --municipality`). The territory is the dashboard's scope, by the same rule
(`dashboards.scope.scope_for`): the program's overseers may pick any territory and get the whole
program without one, staff of a municipality or region get their own; anyone else asking for a
territory gets a 404, as for anything outside their reach.

A report about more supported schools than `REPORT_DETAIL_SCHOOLS` cannot be read school by
school (a note about 3,000 schools ran to 436 pages): its per-school tables become one row per
region when its schools lie in several regions, else one row per municipality, each row counted
in the database and linked to the report about that one territory, which lists its schools.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from core.templatetags.portal import ru_plural
from dashboards.scope import WHOLE, Scope, scope_for
from schools.models import Municipality, Region

from .document import Link, Paragraph, Section

REGION, MUNICIPALITY = "region", "municipality"


def territory_scope(user, program, region=None, municipality=None):
    """The part of `program` a report covers, from the ids of a region or a municipality (either
    may be None; a municipality wins), by the dashboards' rule (`dashboards.scope.scope_for`):
    the program's overseers may narrow it to any territory and get the whole program without
    one, staff of authorities get their own territory. A territory out of reach is a 404. Those
    the rule places nowhere (a school, a curator) get `WHOLE`: their report reads its rows
    through their own access rules (`common.coverage`)."""
    found_municipality = found_region = None
    try:
        if municipality not in (None, ""):
            found_municipality = Municipality.objects.select_related("region").get(
                pk=int(municipality)
            )
        elif region not in (None, ""):
            found_region = Region.objects.get(pk=int(region))
    except (ValueError, TypeError, Region.DoesNotExist, Municipality.DoesNotExist) as error:
        raise Http404("Нет такой территории.") from error
    try:
        return scope_for(user, program, municipality=found_municipality, region=found_region)
    except PermissionDenied as error:
        if found_municipality is None and found_region is None:
            return WHOLE
        raise Http404("Эта территория вне вашего доступа.") from error


def scope_from_query(user, program, data):
    """`territory_scope` from GET parameters (?region=…, ?municipality=…)."""
    return territory_scope(user, program, data.get(REGION), data.get(MUNICIPALITY))


def scope_params(scope):
    """The scope as plain values, for a stored background request and for URLs."""
    if scope.municipality is not None:
        return {MUNICIPALITY: scope.municipality.pk}
    if scope.region is not None:
        return {REGION: scope.region.pk}
    return {}


def detail_bound():
    return settings.REPORT_DETAIL_SCHOOLS


@dataclass
class Breakdown:
    """How a report about the supported schools of a program in a scope shows them: one by one
    (`key` None), or one row per region or municipality (`key` "region" / "municipality"), with
    each territory's id and name in `territories`, in the order of names."""

    scope: Scope
    school_count: int
    bound: int
    key: str | None = None
    territories: dict = field(default_factory=dict)

    @property
    def is_summary(self):
        return self.key is not None

    @property
    def unit(self):
        return "региону" if self.key == REGION else "муниципалитету"

    @property
    def column_title(self):
        return "Регион" if self.key == REGION else "Муниципалитет"

    def notice(self):
        """What the top of a summarised report says: that it is summarised, why, and where the
        schools are listed."""
        if not self.is_summary:
            return None
        rows = "регионам" if self.key == REGION else "муниципалитетам"
        text = (
            f"Отчёт сводный: в нём {ru_plural(self.school_count, 'школа,школы,школ')} адресной "
            "поддержки — больше, чем "
            f"можно прочитать по одной (граница — {self.bound}). Таблицы по школам заменены "
            f"строками по {rows}: каждая строка посчитана по школам своей территории. Школы "
            "одной территории перечислены в отчёте по этой территории — ссылка «по школам» в "
            "строке таблицы (параметр адреса ?region= или ?municipality=, в команде "
            "render_report — --region или --municipality)."
        )
        return Section("Сводный отчёт").add(Paragraph(text, tone="warn"))

    def link(self, kind, subject, territory_id, query=None):
        """The report of this kind about the subject narrowed to one territory of the rows."""
        params = {self.key: territory_id, **(query or {})}
        path = reverse("reports:report", args=[kind.slug, subject.pk])
        return Link("по школам", f"{settings.PORTAL_URL.rstrip('/')}{path}?{urlencode(params)}")


def breakdown(schools, scope=WHOLE):
    """The `Breakdown` of a report about `schools` (the supported schools it covers, already
    narrowed to the user's reach and the scope). Three queries at most, whatever the number of
    schools."""
    bound = detail_bound()
    count = schools.count()
    result = Breakdown(scope=scope, school_count=count, bound=bound)
    if count <= bound or scope.municipality is not None:
        return result
    for key, model in ((REGION, Region), (MUNICIPALITY, Municipality)):
        ids = schools.order_by().values(key).annotate(n=Count("pk")).values_list(key, flat=True)
        territories = dict(
            model.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name")
        )
        if len(territories) > 1:
            result.key, result.territories = key, territories
            return result
    return result


def subtitle_with(scope, subtitle):
    """The report's subtitle, with the territory it is narrowed to."""
    if scope.territory is None:
        return subtitle
    return f"{subtitle} — {scope.territory}"
