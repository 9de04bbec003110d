"""Who is told: the people behind organizations, pairs and territories, and the access check
every notice passes before it is stored.

Candidates come from where people sit (memberships, curatorships); then each candidate keeps
only the subjects their own access rule (`visible_to`, `approvable_by`, `reviewable_by`) lets
them see, so a notice never tells anyone about a thing they could not open. The rule is asked
in sets (`ask_in_sets`): a query per kind of notice and shape of reach (a school's staff, a
pair's curator, a territory's coordinator), whatever the number of people and subjects.
"""

import copy
import re
from collections import defaultdict
from dataclasses import fields

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q

from core.access import Reach, reach, reaches
from core.planner import without_jit
from programs.models import Curator
from schools.models import Membership, Organization


def staff_of(organization_ids):
    """{organization id: {user ids}} of everyone working there, active accounts only."""
    found = defaultdict(set)
    rows = (
        Membership.objects.filter(
            organization_id__among=set(organization_ids), user__is_active=True
        )
        .order_by()
        .values_list("organization_id", "user_id")
    )
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
    rows = (
        Curator.objects.filter(
            pair__supported_school_id__among=schools, user__isnull=False, user__is_active=True
        )
        .order_by()
        .values_list("pair__program_id", "pair__supported_school_id", "user_id")
    )
    for program_id, school_id, user_id in rows:
        if (program_id, school_id) in pairs:
            found[(program_id, school_id)].add(user_id)
    return found


def pair_curators(pair_ids):
    """{pair id: {user ids}}."""
    found = defaultdict(set)
    rows = (
        Curator.objects.filter(
            pair_id__among=set(pair_ids), user__isnull=False, user__is_active=True
        )
        .order_by()
        .values_list("pair_id", "user_id")
    )
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
    rows = (
        Membership.objects.filter(
            Q(organization__municipality__isnull=True, organization__region_id__in=regions)
            | Q(organization__municipality_id__in=municipalities),
            role=Membership.Role.COORDINATOR,
            organization__kind__in=Organization.TERRITORIAL_KINDS,
            user__is_active=True,
        )
        .order_by()
        .values_list("user_id", "organization__region_id", "organization__municipality_id")
    )
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
    rows = (
        Membership.objects.filter(
            organization_id__in=by_org, role=Membership.Role.COORDINATOR, user__is_active=True
        )
        .order_by()
        .values_list("organization_id", "user_id")
    )
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
    # Unordered: the models' default orderings join other tables for nothing here.
    for user_id, org_id, role in (
        Membership.objects.filter(user_id__among=user_ids)
        .order_by()
        .values_list("user_id", "organization_id", "role")
    ):
        places[user_id][0].add((org_id, role))
    for user_id, pair_id in (
        Curator.objects.filter(user_id__among=user_ids).order_by().values_list("user_id", "pair_id")
    ):
        places[user_id][1].add(pair_id)
    personal = set(
        Review.objects.filter(reviewer_id__among=user_ids)
        .order_by()
        .values_list("reviewer_id", flat=True)
    ) | set(
        get_user_model()
        .objects.filter(pk__among=user_ids, is_superuser=True)
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


class People:
    """The people one round meets, each read once for all its kinds: their user, with the
    `Reach` kept on it, and where they sit (`_places`). A round of thousands of schools asks
    about the same staff for events, deadlines and values."""

    def __init__(self):
        self.users = {}
        self.places = {}

    def load(self, user_ids):
        missing = set(user_ids) - self.users.keys()
        if missing:
            self.users.update(
                (user.pk, user) for user in get_user_model().objects.filter(pk__among=missing)
            )

    def places_of(self, user_ids):
        missing = set(user_ids) - self.places.keys()
        if missing:
            self.places.update(_places(missing))
        return {user_id: self.places[user_id] for user_id in user_ids}


def allowed(candidates, rule, people=None, *, by_person=False):
    """Keep, of `candidates` ({subject id: {user ids}}), only the pairs the access rule lets
    through. `rule(user)` is a queryset of the subjects that user may see (or approve…).

    People who sit in the same places share one question to the rule (the staff of a school
    are asked about once); `by_person` asks each person, for rules that read the person
    themselves (who asked a question). `people` (`People`) keeps users, their `Reach` and
    their places across the kinds of one round; only the one who asks for a group is loaded.

    The questions are asked in sets (`ask_in_sets`): a few queries for the whole round,
    whatever the number of schools."""
    people = People() if people is None else people
    by_user = defaultdict(set)
    for subject_id, users in candidates.items():
        for user_id in users:
            by_user[user_id].add(subject_id)
    if not by_user:
        return defaultdict(set)
    if by_person:
        groups = {(user_id,): [user_id] for user_id in by_user}
    else:
        groups = defaultdict(list)
        for user_id, place in people.places_of(by_user).items():
            groups[place].append(user_id)
    people.load(members[0] for members in groups.values())
    questions = []
    for members in groups.values():
        user = people.users.get(members[0])
        if user is None:
            continue
        asked = set().union(*(by_user[m] for m in members))
        questions.append((user, asked, members))
    reaches([user for user, _, _ in questions])
    seen = ask_in_sets(rule, [(user, asked) for user, asked, _ in questions])
    kept = defaultdict(set)
    for (_, _, members), found in zip(questions, seen, strict=True):
        for member in members:
            for subject_id in by_user[member] & found:
                kept[subject_id].add(member)
    return kept


# Ids sent with one query: the people's rows and the subjects asked about.
PARAMS_PER_QUERY = 10_000
# Ids written into a rule's template where a person's ids go, far below any real id; and
# where the asked subjects go.
_MARK = -(10**15)
_ASKED = _MARK + 1
_REACH_SETS = [f.name for f in fields(Reach) if f.name not in ("is_admin", "user_id", "zone")]
_PLACEHOLDER = re.compile(r"%%|%s")


def ask_in_sets(rule, questions):
    """[{subject ids}] each user of `questions` ([(user, asked subject ids)]) may see of the
    asked ones, through `rule(user)`.

    An access rule is a filter written from the ids of the person's `Reach`; people with the
    same shape of reach (a staff member of one school and of another, a curator of one pair
    and of another) get the same SQL with other ids. So each shape's SQL is made once, from
    marks standing for the ids, and asked for all the people of the shape at once: a table
    of their ids (a row a person) and a table of what each is asked about joined to it, each
    mark read from the person's row. A rule that needs the database to build its filter is
    asked person by person."""
    answers = [set() for _ in questions]
    templates = {}
    shaped = defaultdict(list)  # shape -> [(question index, {mark: real id}, asked ids)]
    for index, (user, asked) in enumerate(questions):
        if not asked:
            continue
        shape, values = _shape_of(user)
        if shape not in templates:
            templates[shape] = _template(rule, user, shape)
        if templates[shape] is None:
            answers[index] = set(
                rule(user).filter(pk__in=asked).order_by().values_list("pk", flat=True)
            )
        elif templates[shape] is not _EMPTY:
            shaped[shape].append((index, values, sorted(asked)))
    if shaped:
        # The cost estimate of one question for many people crosses `jit_above_cost`: seconds
        # of compiling for a query that runs in milliseconds.
        with without_jit():
            for shape, people in shaped.items():
                for chunk in _chunks(people, len(templates[shape][2])):
                    _ask(templates[shape], chunk, answers)
    return answers


def _chunks(people, marks):
    """The people of a shape in slices whose ids fit one query; one person asked about more
    than that is split into several rows."""
    chunk, size = [], 0
    for index, values, asked in people:
        for start in range(0, len(asked), PARAMS_PER_QUERY // 2):
            part = asked[start : start + PARAMS_PER_QUERY // 2]
            cost = marks + 1 + 2 * len(part)
            if chunk and size + cost > PARAMS_PER_QUERY:
                yield chunk
                chunk, size = [], 0
            chunk.append((index, values, part))
            size += cost
    if chunk:
        yield chunk


def _ask(template, chunk, answers):
    column, rest, marks, params = template
    names = "".join(f', "m{n}"' for n in range(len(marks)))
    row = "(" + ", ".join(["%s"] * (len(marks) + 1)) + ")"
    values, subjects = [], []
    for row_number, (_, found, asked) in enumerate(chunk):
        values.append(row_number)
        values += [found[m] for m in marks]
        for pk in asked:
            subjects += [row_number, pk]
    sql = (
        f'WITH "p"("q"{names}) AS (VALUES {", ".join([row] * len(chunk))}), '
        f'"a"("q", "id") AS (VALUES {", ".join(["(%s, %s)"] * (len(subjects) // 2))}) '
        f'SELECT "p"."q", {column} FROM "p" INNER JOIN "a" ON ("a"."q" = "p"."q") '
        f"CROSS JOIN {rest}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values + subjects + list(params))
        for row_number, pk in cursor.fetchall():
            answers[chunk[row_number][0]].add(pk)


_EMPTY = object()


# What each set of a `Reach` holds ids of: equal ids of one kind share a mark (a school's
# staff have it among their organizations and their schools), equal ids of different kinds
# do not, so that a coincidence of numbers never changes a person's shape.
_ID_KINDS = {
    "regions": "region",
    "coordinator_regions": "region",
    "municipalities": "municipality",
    "coordinator_municipalities": "municipality",
    "pairs": "pair",
    "pair_programs": "program",
}


def _shape_of(user):
    """`_shape` of the user's `Reach`, kept on the user beside it: a round asks the same
    people about events, deadlines and values."""
    r = reach(user)
    kept = getattr(user, "_reach_shape", None)
    if kept is None or kept[0] is not r:
        kept = (r, *_shape(r))
        user._reach_shape = kept
    return kept[1], kept[2]


def _shape(r):
    """The person's reach with every id replaced by a mark, numbered in the order met (sorted
    within each set), and {mark: id} to put them back."""
    marks = {}

    def mark(kind, value):
        if (kind, value) not in marks:
            marks[(kind, value)] = _MARK - len(marks)
        return marks[(kind, value)]

    user_mark = mark("user", r.user_id) if r.user_id is not None else None
    shape = [r.is_admin, r.zone, user_mark]
    for name in _REACH_SETS:
        kind = _ID_KINDS.get(name, "organization")
        shape.append(frozenset(mark(kind, v) for v in sorted(getattr(r, name))))
    return tuple(shape), {m: v for (_, v), m in marks.items()}


def _template(rule, user, shape):
    """The SQL of `rule` for a person of this shape, the ids left as marks (see
    `_with_columns`); `_EMPTY` when the rule lets nothing through; None when building the rule
    queried the database (the marks would have been asked about: the person is asked
    directly)."""
    is_admin, zone, user_mark, *sets = shape
    marked = Reach(
        is_admin=is_admin, user_id=user_mark, zone=zone, **dict(zip(_REACH_SETS, sets, strict=True))
    )
    stand_in = copy.copy(user)
    stand_in.pk = user_mark
    stand_in._portal_reach = marked

    def refuse(execute, sql, params, many, context):
        raise _Queried

    try:
        with connection.execute_wrapper(refuse):
            queryset = (
                rule(stand_in)
                .filter(pk__in=[_ASKED])
                .order_by()
                .annotate(k=F("pk"))
                .values_list("k")
            )
            sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return _EMPTY
    except _Queried:
        return None
    return _with_columns(sql, params)


def _with_columns(sql, params):
    """(column, the rest of the SQL after FROM, marks, other parameters): each placeholder of
    a mark becomes the column of the people's table holding it, that of the asked subjects
    the asked table's id; the other parameters stay. None if the SQL is not the plain
    `SELECT column AS "k" FROM …` expected, or a mark hides in another parameter."""
    if not sql.startswith("SELECT ") or " FROM " not in sql:
        return None
    head, rest = sql.split(" FROM ", 1)
    column = head.removeprefix("SELECT ")
    if "(" in column or "%" in head:
        return None
    marks, kept, pieces, position = [], [], [], 0
    params = list(params)
    for match in _PLACEHOLDER.finditer(rest):
        if match.group() == "%%":
            continue
        param = params[position]
        position += 1
        if type(param) is int and param == _ASKED:
            pieces.append((match.start(), match.end(), '"a"."id"'))
        elif type(param) is int and param <= _MARK:
            if param not in marks:
                marks.append(param)
            pieces.append((match.start(), match.end(), f'"p"."m{marks.index(param)}"'))
        elif str(_MARK)[:8] in str(param):
            return None
        else:
            kept.append(param)
    if position != len(params) or not any(text == '"a"."id"' for _, _, text in pieces):
        return None
    for begin, end, text in reversed(pieces):
        rest = rest[:begin] + text + rest[end:]
    return column, rest, marks, tuple(kept)


class _Queried(Exception):
    pass
