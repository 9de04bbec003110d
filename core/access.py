"""Where a user sits, worked out once per request, and the Q objects that follow from it.

Every access rule of the portal is a queryset method (`Program.objects.visible_to(user)`,
`Measurement.objects.editable_by(user)`, ...). They all start from a `Reach`: the territory the
user's authority or methodical centre covers, the schools where they work, and the schools they
curate. `Reach` holds only ids, so the querysets stay flat filters whose cost does not grow with
the number of rows a page shows.

This module lives in `core`, which every app may import and which imports no app: the models
it reads (memberships, organizations, curator pairs) are looked up by name in the app registry
and through reverse lookups, never by import.
"""

from dataclasses import dataclass, field
from functools import reduce, wraps
from operator import or_

from django.db.models import Q

NOTHING = Q(pk__in=[])


def any_of(*conditions: Q) -> Q:
    """OR the conditions together; no conditions means no rows (never "all rows")."""
    conditions = [c for c in conditions if c is not None]
    return reduce(or_, conditions) if conditions else NOTHING


@dataclass(frozen=True)
class Reach:
    """The ids a user's access follows from. Build it with `reach(user)`."""

    is_admin: bool = False
    user_id: int | None = None
    # Territory of the authorities and methodical centres where the user works.
    regions: frozenset[int] = field(default_factory=frozenset)
    municipalities: frozenset[int] = field(default_factory=frozenset)
    # The part of it where the user is a coordinator, and so may change things.
    coordinator_regions: frozenset[int] = field(default_factory=frozenset)
    coordinator_municipalities: frozenset[int] = field(default_factory=frozenset)
    organizations: frozenset[int] = field(default_factory=frozenset)
    coordinator_organizations: frozenset[int] = field(default_factory=frozenset)
    # Schools where the user works, with their branches; those where they may change data.
    schools: frozenset[int] = field(default_factory=frozenset)
    editor_schools: frozenset[int] = field(default_factory=frozenset)
    # Supported schools of the pairs where the user is a curator, and those pairs.
    curated_schools: frozenset[int] = field(default_factory=frozenset)
    pairs: frozenset[int] = field(default_factory=frozenset)
    pair_programs: frozenset[int] = field(default_factory=frozenset)
    # The time zone of the region of the person's organization (the first one they joined):
    # the clock of every time shown to them that belongs to no program. Empty when none.
    zone: str = ""

    @property
    def is_coordinator(self) -> bool:
        return self.is_admin or bool(self.coordinator_regions or self.coordinator_municipalities)

    @property
    def is_territorial(self) -> bool:
        return self.is_admin or bool(self.regions or self.municipalities)

    def territory(self, region: str, municipality: str, *, coordinator: bool = False) -> Q:
        """Rows whose region/municipality (given as lookup paths) lie in the user's territory."""
        regions = self.coordinator_regions if coordinator else self.regions
        municipalities = self.coordinator_municipalities if coordinator else self.municipalities
        return any_of(
            Q(**{f"{region}__in": regions}) if regions else None,
            Q(**{f"{municipality}__in": municipalities}) if municipalities else None,
        )

    def sees_organization(self, path: str = "") -> Q:
        """Rows tied (through the lookup `path`; empty for organizations themselves) to an
        organization the user may see."""
        ids = self.schools | self.curated_schools | self.organizations
        return any_of(
            self.territory(_join(path, "region"), _join(path, "municipality")),
            Q(**{f"{path or 'pk'}__in": ids}) if ids else None,
        )

    def changes_school_data(self, path: str = "") -> Q:
        """Rows of a school (through `path`) whose progress and data the user may change:
        the school's own staff, or a coordinator of its territory."""
        return any_of(
            self.territory(_join(path, "region"), _join(path, "municipality"), coordinator=True),
            Q(**{f"{path or 'pk'}__in": self.editor_schools}) if self.editor_schools else None,
        )


def _join(path: str, name: str) -> str:
    return f"{path}__{name}" if path else name


ANONYMOUS = Reach()


def reach(user) -> Reach:
    """The user's `Reach`, computed with three queries and kept on the user object, which
    Django builds anew for every request, so a change of membership counts from the next one."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    reaches([user])
    return user._portal_reach


def reaches(users):
    """Compute and keep the `Reach` of many users at once: three queries whatever their
    number (memberships, branches of their schools, curatorships), the same rule as `reach`.
    What a notification round needs to ask the access rules of thousands of people."""
    missing = [
        u
        for u in users
        if u is not None
        and u.is_authenticated
        and u.is_active
        and getattr(u, "_portal_reach", None) is None
    ]
    for user in missing:
        if user.is_superuser:
            user._portal_reach = Reach(is_admin=True, user_id=user.pk)
    missing = [u for u in missing if not u.is_superuser]
    if missing:
        for user, result in zip(missing, _compute_many(missing), strict=True):
            user._portal_reach = result


def _compute_many(users) -> list[Reach]:
    from collections import defaultdict

    from django.apps import apps

    Membership = apps.get_model("schools", "Membership")
    Organization = apps.get_model("schools", "Organization")

    ids = [u.pk for u in users]
    rows = defaultdict(list)
    memberships = (
        Membership.objects.filter(user_id__among=ids)
        .values_list(
            "user_id",
            "organization_id",
            "organization__kind",
            "organization__region_id",
            "organization__municipality_id",
            "role",
            "organization__region__timezone",
        )
        .order_by("pk")
    )
    for user_id, *row in memberships:
        rows[user_id].append(row)
    all_schools = {
        row[0] for found in rows.values() for row in found if row[1] == Organization.Kind.SCHOOL
    }
    branches = defaultdict(set)
    if all_schools:
        for branch_id, parent_id in Organization.objects.filter(
            parent_id__among=all_schools
        ).values_list("id", "parent_id"):
            branches[parent_id].add(branch_id)
    curated = defaultdict(list)
    for user_id, school_id, pair_id, program_id in Organization.objects.filter(
        supported_pairs__curators__user__among=ids
    ).values_list(
        "supported_pairs__curators__user",
        "id",
        "supported_pairs__id",
        "supported_pairs__program_id",
    ):
        curated[user_id].append((school_id, pair_id, program_id))
    return [_build(user.pk, rows[user.pk], branches, curated[user.pk]) for user in users]


def _build(user_id, memberships, branches, curated) -> Reach:
    from django.apps import apps

    Membership = apps.get_model("schools", "Membership")
    Organization = apps.get_model("schools", "Organization")

    regions, municipalities = set(), set()
    coordinator_regions, coordinator_municipalities = set(), set()
    organizations, coordinator_organizations = set(), set()
    schools, editor_schools = set(), set()
    zone = ""
    for org_id, kind, region_id, municipality_id, role, region_zone in memberships:
        zone = zone or region_zone or ""
        organizations.add(org_id)
        changes = role in (Membership.Role.COORDINATOR, Membership.Role.STAFF)
        if role == Membership.Role.COORDINATOR:
            coordinator_organizations.add(org_id)
        if kind in Organization.TERRITORIAL_KINDS:
            # A regional body (no municipality) covers its region; a municipal one, its municipality.
            if municipality_id is None:
                regions.add(region_id)
                if role == Membership.Role.COORDINATOR:
                    coordinator_regions.add(region_id)
            else:
                municipalities.add(municipality_id)
                if role == Membership.Role.COORDINATOR:
                    coordinator_municipalities.add(municipality_id)
        elif kind == Organization.Kind.SCHOOL:
            schools.add(org_id)
            if changes:
                editor_schools.add(org_id)
    for parent_id in list(schools):
        for branch_id in branches.get(parent_id, ()):
            schools.add(branch_id)
            if parent_id in editor_schools:
                editor_schools.add(branch_id)
    curated_schools, pairs, pair_programs = set(), set(), set()
    for school_id, pair_id, program_id in curated:
        curated_schools.add(school_id)
        pairs.add(pair_id)
        pair_programs.add(program_id)
    return Reach(
        user_id=user_id,
        regions=frozenset(regions),
        municipalities=frozenset(municipalities),
        coordinator_regions=frozenset(coordinator_regions),
        coordinator_municipalities=frozenset(coordinator_municipalities),
        organizations=frozenset(organizations),
        coordinator_organizations=frozenset(coordinator_organizations),
        schools=frozenset(schools),
        editor_schools=frozenset(editor_schools),
        curated_schools=frozenset(curated_schools),
        pairs=frozenset(pairs),
        pair_programs=frozenset(pair_programs),
        zone=zone,
    )


def access_rule(method):
    """Mark a queryset method `rule(self, user, ...)` as an access rule: a superuser gets every
    row, and for anyone else the method says which rows. Every `visible_to`, `editable_by` and
    the like is one, so the superuser's exception is written once."""

    @wraps(method)
    def rule(self, user, *args, **kwargs):
        if reach(user).is_admin:
            return self.all()
        return method(self, user, *args, **kwargs)

    return rule


def visible_or_404(queryset, user, **lookup):
    """The object, if the user may see it; a 404 otherwise, so that outsiders cannot even
    learn that it exists."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(queryset.visible_to(user), **lookup)


SEES_BUT_MAY_NOT_CHANGE = "Вы можете видеть эти данные, но изменять их не можете."


def require(allowed_queryset, obj, reason=SEES_BUT_MAY_NOT_CHANGE):
    """Refuse with 403 unless `obj` is in `allowed_queryset` (an `editable_by(user)` and the
    like). Called once the user is known to see `obj` (`visible_or_404`), so the default
    reason, which the 403 page shows, is true for them; an action other than changing names
    its own."""
    from django.core.exceptions import PermissionDenied

    if not allowed_queryset.contains(obj):
        raise PermissionDenied(reason)
    return obj
