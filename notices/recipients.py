"""Who is told: the people behind organizations, pairs and territories, and the access check
every notice passes before it is stored.

Candidates come from where people sit (memberships, curatorships); then each candidate keeps
only the subjects their own access rule (`visible_to`, `approvable_by`, `reviewable_by`) lets
them see, so a notice never tells anyone about a thing they could not open. The check is one
query per person and kind, whatever the number of subjects.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Q

from programs.models import Curator
from schools.models import Membership, Organization


def staff_of(organization_ids):
    """{organization id: {user ids}} of everyone working there, active accounts only."""
    found = defaultdict(set)
    rows = Membership.objects.filter(
        organization_id__in=set(organization_ids), user__is_active=True
    ).values_list("organization_id", "user_id")
    for org_id, user_id in rows:
        found[org_id].add(user_id)
    return found


def curators_of(pairs):
    """{(program id, supported school id): {user ids}} of the curators of those pairs, given
    as (program id, supported school id)."""
    pairs = set(pairs)
    found = defaultdict(set)
    if not pairs:
        return found
    schools = {school for _, school in pairs}
    rows = Curator.objects.filter(
        pair__supported_school_id__in=schools, user__isnull=False, user__is_active=True
    ).values_list("pair__program_id", "pair__supported_school_id", "user_id")
    for program_id, school_id, user_id in rows:
        if (program_id, school_id) in pairs:
            found[(program_id, school_id)].add(user_id)
    return found


def pair_curators(pair_ids):
    """{pair id: {user ids}}."""
    found = defaultdict(set)
    rows = Curator.objects.filter(
        pair_id__in=set(pair_ids), user__isnull=False, user__is_active=True
    ).values_list("pair_id", "user_id")
    for pair_id, user_id in rows:
        found[pair_id].add(user_id)
    return found


def coordinators():
    """Coordinators of authorities and methodical centres: {user id: [(region id,
    municipality id or None)]} — a regional body's coordinator covers the whole region."""
    found = defaultdict(list)
    rows = Membership.objects.filter(
        role=Membership.Role.COORDINATOR,
        organization__kind__in=Organization.TERRITORIAL_KINDS,
        user__is_active=True,
    ).values_list(
        "user_id", "organization_id", "organization__region_id", "organization__municipality_id"
    )
    for user_id, org_id, region_id, municipality_id in rows:
        found[user_id].append((org_id, region_id, municipality_id))
    return found


def territory_coordinators(schools):
    """{school id: {user ids}} of coordinators of each school's territory, given schools as
    (id, region id, municipality id)."""
    schools = list(schools)
    regions = {region for _, region, _ in schools}
    municipalities = {m for _, _, m in schools if m}
    rows = Membership.objects.filter(
        Q(organization__municipality__isnull=True, organization__region_id__in=regions)
        | Q(organization__municipality_id__in=municipalities),
        role=Membership.Role.COORDINATOR,
        organization__kind__in=Organization.TERRITORIAL_KINDS,
        user__is_active=True,
    ).values_list("user_id", "organization__region_id", "organization__municipality_id")
    by_region, by_municipality = defaultdict(set), defaultdict(set)
    for user_id, region_id, municipality_id in rows:
        if municipality_id is None:
            by_region[region_id].add(user_id)
        else:
            by_municipality[municipality_id].add(user_id)
    return {
        school: by_region[region] | (by_municipality[municipality] if municipality else set())
        for school, region, municipality in schools
    }


def program_coordinators(program_ids):
    """{program id: {user ids}} of the coordinators of each program's owner and operator."""
    from programs.models import Program

    found = defaultdict(set)
    programs = Program.objects.filter(pk__in=set(program_ids)).values_list(
        "pk", "owner_id", "operator_id"
    )
    by_org = defaultdict(set)
    for pk, owner, operator in programs:
        by_org[owner].add(pk)
        if operator:
            by_org[operator].add(pk)
    rows = Membership.objects.filter(
        organization_id__in=by_org, role=Membership.Role.COORDINATOR, user__is_active=True
    ).values_list("organization_id", "user_id")
    for org_id, user_id in rows:
        for pk in by_org[org_id]:
            found[pk].add(user_id)
    return found


def _places(user_ids):
    """{user id: what their `Reach` follows from}: memberships, curatorships, and — for
    superusers and experts, whose access also follows from who they are — the person
    themselves. People with the same places see the same rows."""
    from programs.models import Review

    places = defaultdict(lambda: [set(), set()])
    for user_id, org_id, role in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organization_id", "role"
    ):
        places[user_id][0].add((org_id, role))
    for user_id, pair_id in Curator.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "pair_id"
    ):
        places[user_id][1].add(pair_id)
    personal = set(
        Review.objects.filter(reviewer_id__in=user_ids).values_list("reviewer_id", flat=True)
    ) | set(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_superuser=True)
        .values_list("pk", flat=True)
    )
    return {
        user_id: (
            frozenset(places[user_id][0]),
            frozenset(places[user_id][1]),
            user_id if user_id in personal else None,
        )
        for user_id in user_ids
    }


def allowed(candidates, rule, people=None, *, by_person=False):
    """Keep, of `candidates` ({subject id: {user ids}}), only the pairs the access rule lets
    through. `rule(user)` is a queryset of the subjects that user may see (or approve…).

    People who sit in the same places share one question to the rule (the staff of a school
    are asked about once); `by_person` asks each person, for rules that read the person
    themselves (who asked a question). `people` caches users, and with them their `Reach`,
    across the kinds of one round."""
    people = {} if people is None else people
    by_user = defaultdict(set)
    for subject_id, users in candidates.items():
        for user_id in users:
            by_user[user_id].add(subject_id)
    missing = set(by_user) - set(people)
    if missing:
        people.update(get_user_model().objects.in_bulk(missing))
    if by_person:
        groups = {(user_id,): [user_id] for user_id in by_user}
    else:
        groups = defaultdict(list)
        for user_id, place in _places(set(by_user)).items():
            groups[place].append(user_id)
    kept = defaultdict(set)
    for members in groups.values():
        user = people.get(members[0])
        if user is None:
            continue
        asked = set().union(*(by_user[m] for m in members))
        seen = set(rule(user).filter(pk__in=asked).values_list("pk", flat=True))
        for member in members:
            for subject_id in by_user[member] & seen:
                kept[subject_id].add(member)
    return kept
