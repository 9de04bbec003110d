"""Marking a program's data as changed: what the dashboards' figures are kept under.

The dashboards keep their figures until the data under them changes. Saves, deletes and
many-to-many changes of the models the figures read are seen by signals (dashboards/cache.py);
a write that bypasses them (bulk_create, bulk_update, queryset.update, raw SQL) calls
`data_changed(program_id)` itself, or `data_changed()` when it touches rows every program reads.
The mark is written in the writer's transaction, so a reader that sees the new version also sees
the new data.

A mark may be narrower than «the program»: the kinds of figure the write touches (`KINDS`: a
saved value changes the indicators and the completeness, not the roadmap) and, when every row
written is of one school, that school's territory — so a value saved in one municipality leaves
the figures of every other municipality and region as they were. A mark's key says how narrow:

- `all` — rows every program reads (organizations, territories);
- `program:<id>` — anything of the program;
- `program:<id>:<kind>` — one kind of figure, in every territory;
- `program:<id>:<kind>@<territory>` — one kind of figure of the whole program (`w`), of the
  region (`r<id>`) and of the municipality (`m<id>`) of the school written: one mark each.

The version of one kind of figure in one scope is the latest id among the marks that reach it
(`versions`). The marks a request wrote are remembered (`written_since`), so that the person who
saved is never shown figures older than their own save (dashboards/cache.py).
"""

import contextvars

EVERY_PROGRAM = "all"
# The kinds of figure a dashboard keeps apart (dashboards/cache.py computes each on its own).
KINDS = ("roadmap", "indicators", "effectiveness", "completeness", "expertise")
# The kinds kept per monitoring point as well: a value written at one point marks that point's
# part (`part_kind`), so the figures of the other points stay — in a deadline week every sheet
# sent is at the open point, and the closed points' completeness need not be counted again.
PARTED = ("completeness",)
WHOLE = "w"
# The kinds a school's values are read by.
VALUE_FIGURES = ("indicators", "completeness")
# The kinds roadmap items and their executions are read by.
ROADMAP_FIGURES = ("roadmap", "effectiveness", "expertise")

_written = contextvars.ContextVar("data_changes_written", default=None)
# The keys of the marks a `marks_together` block will write at its end.
_together = contextvars.ContextVar("data_changes_together", default=None)


def program_key(program_id):
    return f"program:{program_id}"


def kind_key(program_id, kind, territory=None):
    key = f"{program_key(program_id)}:{kind}"
    return key if territory is None else f"{key}@{territory}"


def territories_of(region_id, municipality_id):
    """The scopes a row of a school in this region and municipality is part of."""
    found = [WHOLE]
    if region_id is not None:
        found.append(f"r{region_id}")
    if municipality_id is not None:
        found.append(f"m{municipality_id}")
    return found


def scope_territory(scope):
    """The territory part of the marks a dashboard's scope reads."""
    if scope.municipality is not None:
        return f"m{scope.municipality.pk}"
    if scope.region is not None:
        return f"r{scope.region.pk}"
    return WHOLE


def part_kind(kind, point_id):
    """The name of one point's part of a kind of figure (`PARTED`)."""
    return f"{kind}.p{point_id}"


def data_changed(program_id=None, kinds=None, territories=None, point_id=None):
    """Mark data as changed: of every program (`program_id` None), of one program (`kinds`
    None), of some kinds of its figures in every territory (`territories` None), or of those
    kinds in the given territories (`territories_of` a school); with `point_id`, the kinds kept
    per point (`PARTED`) only in that point's part. One statement, or none inside
    `marks_together`."""
    if kinds is not None and point_id is not None:
        kinds = [part_kind(kind, point_id) if kind in PARTED else kind for kind in kinds]
    if program_id is None:
        keys = [EVERY_PROGRAM]
    elif kinds is None:
        keys = [program_key(program_id)]
    elif territories is None:
        keys = [kind_key(program_id, kind) for kind in kinds]
    else:
        keys = [kind_key(program_id, kind, t) for kind in kinds for t in territories]
    together = _together.get()
    if together is not None:
        together.update(keys)
        return
    _write(keys)


def _write(keys):
    from .models import DataChange

    if len(keys) == 1:
        marks = [DataChange.objects.create(key=keys[0])]
    else:
        marks = DataChange.objects.bulk_create(DataChange(key=key) for key in keys)
    written = _written.get()
    if written is not None:
        ids = [mark.pk for mark in marks if mark.pk is not None]
        if ids:
            written.append(max(ids))


def versions(program_id, territory=WHOLE, point_ids=()):
    """{kind: the latest mark that reaches that kind of the program's figures in the scope
    whose territory is `territory`}, and of each point's part (`part_kind`) of the kinds kept
    per point for `point_ids`, in one query; 0 for none yet. Each key's latest is looked
    up in the index (`data_change_latest`) on its own: a grouped MAX would read every mark of a
    busy week until the daily pruning."""
    from django.db import connection

    from .models import DataChange

    parts = [part_kind(kind, point_id) for kind in PARTED for point_id in point_ids]
    keys = [EVERY_PROGRAM, program_key(program_id)]
    for kind in (*KINDS, *parts):
        keys += [kind_key(program_id, kind), kind_key(program_id, kind, territory)]
    quote = connection.ops.quote_name
    table, key, pk = (
        quote(DataChange._meta.db_table),
        quote(DataChange._meta.get_field("key").column),
        quote(DataChange._meta.pk.column),
    )
    latest = f"(SELECT {pk} FROM {table} WHERE {key} = %s ORDER BY {pk} DESC LIMIT 1)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join([latest] * len(keys))}", keys)
        found = {key: last or 0 for key, last in zip(keys, cursor.fetchone(), strict=True)}
    common = max(found[EVERY_PROGRAM], found[program_key(program_id)])
    current = {
        kind: max(
            common,
            found[kind_key(program_id, kind)],
            found[kind_key(program_id, kind, territory)],
        )
        for kind in (*KINDS, *parts)
    }
    # A point's part is also old when its whole kind is (an import, a new indicator).
    for kind in PARTED:
        for point_id in point_ids:
            part = part_kind(kind, point_id)
            current[part] = max(current[part], current[kind])
    return current


class marks_together:
    """The marks of the writes inside the block written once, at its end, each key once: a
    sheet of fifteen values saved together marks its figures once, not fifteen times. Use
    inside the writes' transaction, so that the marks commit with them; a block left by an
    exception writes none (its writes are rolled back with the transaction)."""

    def __enter__(self):
        self.keys = set()
        self._token = _together.set(self.keys)
        return self

    def __exit__(self, exc_type, *exc):
        _together.reset(self._token)
        if exc_type is None and self.keys:
            outer = _together.get()
            if outer is not None:
                outer.update(self.keys)
            else:
                _write(sorted(self.keys))
        return False


class written_since:
    """Collects the ids of the marks written inside the block (a request: core.middleware);
    `.latest` is the highest, or None."""

    def __enter__(self):
        self.ids = []
        self._token = _written.set(self.ids)
        return self

    def __exit__(self, *exc):
        _written.reset(self._token)
        return False

    @property
    def latest(self):
        return max(self.ids) if self.ids else None


def last_changed_on(program_id):
    """The date of a program's data (дата актуальности): the day of the last change of its data
    or of the data every program reads; today when nothing is recorded."""
    from django.db.models import Max, Q
    from django.utils import timezone

    from .models import DataChange

    # A save marks the kinds of figure it touches («program:1:indicators:…») or the program.
    key = program_key(program_id)
    last = DataChange.objects.filter(
        Q(key__in=[key, EVERY_PROGRAM]) | Q(key__startswith=f"{key}:")
    ).aggregate(last=Max("changed_at"))["last"]
    return timezone.localdate(last) if last else timezone.localdate()
