"""Who may watch which part of a program: the `Scope` of a dashboard (the whole program, one
region or one municipality), read from the request and checked against the user's territory.

The program's overseers (`Program.objects.overseen_by`: staff of its territory and of its owner
and operator) see it whole or narrowed to any territory; staff of a municipality or region see it
narrowed to their territory (`Municipality.objects.covered_by`, `Region.objects.covered_whole_by`).
Schools and curators see the program but not its dashboard (403); those who do not see the
program get 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Q,
)
from django.http import Http404

from core.access import visible_or_404
from core.requests import read_id
from programs.models import Program
from schools.filters import MANY_MUNICIPALITIES
from schools.models import Municipality, Organization, Region


@dataclass(frozen=True)
class Scope:
    """The part of a program looked at: one municipality, one region, or all of it."""

    municipality: object = None
    region: object = None

    @property
    def is_whole(self):
        return self.municipality is None and self.region is None

    @property
    def territory(self):
        return self.municipality or self.region

    def organizations(self, path=""):
        """A Q for rows whose organization (through `path`) lies in the scope."""
        prefix = f"{path}__" if path else ""
        if self.municipality is not None:
            return Q(**{f"{prefix}municipality": self.municipality})
        if self.region is not None:
            return Q(**{f"{prefix}region": self.region})
        return Q()

    def query(self):
        """The scope as GET parameters, for links that keep it."""
        if self.municipality is not None:
            return f"municipality={self.municipality.pk}"
        if self.region is not None:
            return f"region={self.region.pk}"
        return ""


WHOLE = Scope()


def program_and_scope(request, pk):
    """The program and the part of it the user may watch, from ?municipality= or ?region=."""
    program = visible_or_404(
        Program.objects.select_related("region", "municipality__region", "owner"),
        request.user,
        pk=pk,
    )
    return program, _scope(request, program)


def _scope(request, program):
    municipality = object_from_query(
        Municipality.objects.select_related("region"), request.GET, "municipality"
    )
    region = (
        None if municipality else object_from_query(Region.objects.all(), request.GET, "region")
    )
    return scope_for(request.user, program, municipality=municipality, region=region)


def scope_for(user, program, *, municipality=None, region=None):
    """The part of `program` the user may watch, narrowed to `municipality` or `region` if given:
    any territory for the program's overseers (the whole program when none is given), their own
    territory for staff of a municipality or region; PermissionDenied for anyone else. The
    dashboards and the reports about a program (reports/territory.py) both ask this."""
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


def object_from_query(queryset, data, name):
    pk = read_id(data, name)
    if pk is None:
        return None
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as error:
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
    pick_region_first = False
    if region is not None:
        municipalities = with_schools.filter(region=region)
    elif with_schools.count() > MANY_MUNICIPALITIES:
        municipalities = with_schools.none()
        pick_region_first = True
    else:
        municipalities = with_schools
    return {
        "regions": list(regions),
        "region": region,
        "municipalities": list(municipalities.order_by("name")),
        # The blank choice names what is shown while no municipality is chosen.
        "whole_label": "весь регион" if region is not None else "вся программа",
        "pick_region_first": pick_region_first,
    }
