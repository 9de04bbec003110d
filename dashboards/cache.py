"""Figures of a dashboard computed once per program, scope, kind of figure and day, kept until
the data under them changes, and recomputed by one process at a time.

Every write to a model the figures read adds `core.DataChange` marks (signals below, for saves,
deletes and many-to-many changes; `core.changes.data_changed` for writes that bypass signals:
bulk_create, bulk_update, queryset.update). A mark names the kinds of figure the write touches
(`TOUCHES`: a value saved changes the indicators and the completeness, not the roadmap) and, for a
school's value, the school's territory: a value saved in one municipality leaves the figures of
every other territory as they were, and the national figures of other kinds too. The
completeness is kept per monitoring point as well (`core.changes.PARTED`): a value marks its
point's row, and the rows of the other points stay. Marks are
written in the writer's transaction, so a request that sees the new version also sees the new
data; rows are only added, so writers never wait on each other.

Each kind of figure of each scope is cached under its own version (and the program's day, for
late items, and the next start of an event, for the held ones). When it is missing, the first
request takes the kind's lock (`cache.add`) and computes it; meanwhile others are served the last
figures computed, with their time («по состоянию на 14:05») — never the person whose own save
made them old (`core.middleware.DataWrittenMiddleware`): they wait for the new figures, at most
`FIGURES_WAIT_SECONDS`, then compute them themselves. So a figure shown to anyone else is at most
one recomputation old, and says so. `DASHBOARD_CACHE_SECONDS` only bounds how long unused keys
stay.
"""

import dataclasses
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, QuerySet, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from core.changes import (
    KINDS,
    ROADMAP_FIGURES,
    VALUE_FIGURES,
    data_changed,
    part_kind,
    scope_territory,
    territories_of,
    versions,
)
from expertise.models import PassThreshold
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Agreement, CuratorPair, Document, Module, Participant
from roadmaps.models import Attendance, Event, ItemExecution, Roadmap, RoadmapItem
from schools.models import (
    Municipality,
    Organization,
    Region,
    RiskFactor,
    RiskLevel,
    RiskProfile,
    SchoolStatus,
)

from .effectiveness import Result, compute_all
from .figures import (
    completeness_base,
    completeness_row,
    expertise_summary,
    indicator_summary,
    roadmap_summary,
)

# How long a computing process holds a kind's lock at most (a process that died frees it then),
# and how long the person whose save made the figures old waits for another's computation.
LOCK_SECONDS = 120
FIGURES_WAIT_SECONDS = 10
POLL_SECONDS = 0.05

# Which kinds of figure depend on the program's day (late items) and on the events held so far.
DAILY = {"roadmap", "effectiveness", "expertise"}
EVENTFUL = {"effectiveness"}


def _compute(kind, program, scope, now, point=None, base=None):
    if kind == "roadmap":
        return roadmap_summary(program, scope, now)
    if kind == "indicators":
        return indicator_summary(program, scope)
    if kind == "effectiveness":
        return compute_all(program, scope, now=now)
    if kind == "completeness":
        if point is None:
            return completeness_base(program, scope)
        return completeness_row(program, scope, point, base)
    return expertise_summary(program, scope)


def dashboard_figures(program, scope, now, written=0):
    """The figures of a program's dashboard for a scope, by kind, and `as_of`: None when every
    one is current, else the time of the oldest served while another process recomputes it.
    `written` is the latest data-change mark the person's own requests wrote: figures older
    than it are never served to them."""
    today = program.local_today(now)
    next_event = Event.objects.filter(program=program, starts_at__gt=now).aggregate(
        next=Min("starts_at")
    )["next"]
    points = list(program.points.order_by("date", "pk"))
    current = versions(program.pk, scope_territory(scope), [point.pk for point in points])
    place = f"{program.pk}:{scope.query() or 'whole'}"
    figures, times, stamps = {}, [], {}
    for kind in KINDS:
        if kind == "completeness":
            served = _completeness(program, scope, now, points, current, place, written)
        else:
            parts = [kind, current[kind]]
            if kind in DAILY:
                parts.append(today.isoformat())
            if kind in EVENTFUL:
                parts.append(next_event.isoformat() if next_event else "-")
            served = _single_flight(
                f"figures:{place}:{':'.join(str(p) for p in parts)}",
                f"figures-last:{place}:{kind}",
                f"figures-lock:{place}:{kind}",
                current[kind],
                written,
                lambda kind=kind: _compute(kind, program, scope, now),
            )
        figures[kind], computed_at, stamps[kind] = served
        if computed_at is not None:
            times.append(computed_at)
    figures["as_of"] = min(times) if times else None
    figures["stamps"] = stamps
    return figures


def _completeness(program, scope, now, points, current, place, written):
    """The completeness figure put together from its base and each point's row, each kept
    under its own version: a value written at the open point recounts that point's row only.
    Returns it as `_single_flight` does, with the oldest time and every part's stamp."""
    pieces = []

    def piece(name, version, compute):
        pieces.append(
            _single_flight(
                f"figures:{place}:{name}:{version}",
                f"figures-last:{place}:{name}",
                f"figures-lock:{place}:{name}",
                version,
                written,
                compute,
            )
        )
        return pieces[-1][0]

    base = piece(
        "completeness",
        current["completeness"],
        lambda: _compute("completeness", program, scope, now),
    )
    rows = [
        piece(
            part_kind("completeness", point.pk),
            current[part_kind("completeness", point.pk)],
            lambda point=point: _compute("completeness", program, scope, now, point, base),
        )
        for point in points
    ]
    times = [computed_at for _, computed_at, _ in pieces if computed_at is not None]
    figure = {"rows": rows, **base}
    return figure, min(times) if times else None, "|".join(stamp for _, _, stamp in pieces)


def _single_flight(key, last_key, lock_key, version, written, compute):
    """(the figure, None, its stamp) when current; (the last figure, its time, its stamp) while
    another process computes the current one and the last is not older than the person's own
    save. The stamp names the figure served and no other: the page keeps what it renders of
    the figure under it (templates/dashboards/program.html)."""
    found = cache.get(key)
    if found is not None:
        return found, None, key
    deadline = time.monotonic() + FIGURES_WAIT_SECONDS
    while True:
        if cache.add(lock_key, version, LOCK_SECONDS):
            try:
                figure = _plain(compute())
                cache.set(key, figure, settings.DASHBOARD_CACHE_SECONDS)
                cache.set(
                    last_key, (version, timezone.now(), figure), settings.DASHBOARD_CACHE_SECONDS
                )
            finally:
                cache.delete(lock_key)
            return figure, None, key
        last = cache.get(last_key)
        if last is not None and last[0] >= written:
            return last[2], last[1], f"{last_key}:{last[0]}:{last[1].timestamp()}"
        if time.monotonic() > deadline:
            # The other computation takes too long for someone who must not wait on it; it
            # computes the same figure the other will keep under `key`.
            return _plain(compute()), None, key
        time.sleep(POLL_SECONDS)
        found = cache.get(key)
        if found is not None:
            return found, None, key


def _plain(value):
    """The figures with every queryset read into a list: what the page shows, picklable."""
    if isinstance(value, QuerySet):
        return list(value)
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Result):
        # The rows behind a figure are read by its own page, never from the cache.
        return dataclasses.replace(value, rows_counted=None, rows_not_counted=None)
    return value


# What each model's row belongs to: a function from the instance to its program's id.
PROGRAM_OF = {
    RoadmapItem: lambda item: (
        Roadmap.objects.filter(pk=item.roadmap_id).values_list("program_id", flat=True).first()
    ),
    ItemExecution: lambda execution: (
        RoadmapItem.objects.filter(pk=execution.item_id)
        .values_list("roadmap__program_id", flat=True)
        .first()
    ),
    Roadmap: lambda roadmap: roadmap.program_id,
    Module: lambda module: module.program_id,
    Measurement: lambda value: (
        Indicator.objects.filter(pk=value.indicator_id).values_list("program_id", flat=True).first()
    ),
    Target: lambda target: (
        Indicator.objects.filter(pk=target.indicator_id)
        .values_list("program_id", flat=True)
        .first()
    ),
    Indicator: lambda indicator: indicator.program_id,
    MonitoringPoint: lambda point: point.program_id,
    Event: lambda event: event.program_id,
    Attendance: lambda attendance: (
        Event.objects.filter(pk=attendance.event_id).values_list("program_id", flat=True).first()
    ),
    Participant: lambda participant: participant.program_id,
    CuratorPair: lambda pair: pair.program_id,
    Agreement: lambda agreement: (
        CuratorPair.objects.filter(pk=agreement.pair_id)
        .values_list("program_id", flat=True)
        .first()
    ),
    Document: lambda document: document.program_id,
    PassThreshold: lambda threshold: threshold.program_id,
}
# The kinds of figure each model's rows are read by (dashboards/figures.py, effectiveness.py);
# a model not named here changes every kind (participants and pairs: the supported schools).
ROADMAP = ROADMAP_FIGURES
TOUCHES = {
    RoadmapItem: ROADMAP,
    ItemExecution: ROADMAP,
    Roadmap: ROADMAP,
    Module: ("roadmap",),
    Measurement: VALUE_FIGURES,
    Target: ("indicators", "effectiveness"),
    Indicator: ("indicators", "effectiveness", "completeness"),
    MonitoringPoint: ("indicators", "completeness"),
    Event: ("effectiveness",),
    Attendance: ("effectiveness",),
    Agreement: ("effectiveness",),
    Document: ("effectiveness", "expertise"),
    PassThreshold: ("expertise",),
}


# The models whose row is of one school, whose territory narrows the marks (the figures of
# other territories stay): a value is the write of a deadline week, thousands of schools at
# once. A function from the instance to (its program's id, its school's territories or None
# for every territory), in one query.
def _value_place(value):
    # A sheet's save holds its indicator and school already: no query.
    known = Measurement._meta.get_field("indicator").is_cached(value) and (
        value.organization_id is None
        or Measurement._meta.get_field("organization").is_cached(value)
    )
    if known:
        school = value.organization
        if school is None or school.region_id is None:
            return value.indicator.program_id, None
        return value.indicator.program_id, territories_of(school.region_id, school.municipality_id)
    school = Organization.objects.filter(pk=value.organization_id)
    row = (
        Indicator.objects.filter(pk=value.indicator_id)
        .annotate(
            school_region=Subquery(school.values("region_id")[:1]),
            school_municipality=Subquery(school.values("municipality_id")[:1]),
        )
        .values_list("program_id", "school_region", "school_municipality")
        .first()
    )
    if row is None:
        return None, None
    program_id, region_id, municipality_id = row
    if value.organization_id is None or region_id is None:
        return program_id, None
    return program_id, territories_of(region_id, municipality_id)


PLACE_OF = {Measurement: _value_place}
# The models whose row says itself which kinds of figure its write changes (a subset of
# `TOUCHES`): a school's draft saved over a draft changes none.
TOUCHED_BY = {Measurement: Measurement.figures_touched}
# Rows every program's figures may read (names, territories, statuses of schools, the schools'
# risk profiles behind the traceability flags).
EVERY = (Organization, Municipality, Region, SchoolStatus, RiskFactor, RiskProfile, RiskLevel)


def _changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    if sender in EVERY:
        data_changed(None)
        return
    touches = TOUCHES.get(sender)
    if sender in TOUCHED_BY:
        touches = TOUCHED_BY[sender](instance, created=kwargs.get("created", False))
        if not touches:
            return
    if sender in PLACE_OF:
        program_id, territories = PLACE_OF[sender](instance)
    else:
        program_id, territories = PROGRAM_OF[sender](instance), None
    # A row whose program is gone (deleted with it) leaves nothing to refresh.
    if program_id is not None:
        # A value marks its point's part of the figures kept per point.
        point_id = instance.point_id if sender is Measurement else None
        data_changed(program_id, touches, territories, point_id)


def connect():
    for model in (*PROGRAM_OF, *EVERY):
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-delete-{model.__name__}")
    for through in (
        RoadmapItem.responsible.through,
        RoadmapItem.risk_factors.through,
        Event.invited.through,
    ):
        m2m_changed.connect(
            _members_changed, sender=through, dispatch_uid=f"figures-m2m-{through.__name__}"
        )


def _members_changed(sender, instance, action, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, (RoadmapItem, Event)):
        _changed(type(instance), instance)
    else:
        # Changed from the organization's side: it may be in any program.
        data_changed(None)
