"""Figures of a dashboard computed once per program, scope and day, and kept until the data
under them changes.

Every write to a model the figures read adds a `core.DataChange` of its program (signals below, for
saves, deletes and many-to-many changes; `data_changed(program_id)` for writes that bypass
signals: bulk_create, bulk_update, queryset.update — `core.changes.data_changed`). The change is written in the writer's
transaction, so a request that sees the new version also sees the new data; rows are only added,
so writers never wait on each other. The cached figures are keyed by both versions, the program's day (late items
change at midnight) and the next start of an event (held events count from that moment), so
they are never stale; `DASHBOARD_CACHE_SECONDS` only bounds how long unused keys stay.
"""

import dataclasses

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.changes import data_changed, versions
from expertise.models import PassThreshold
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Agreement, CuratorPair, Document, Module, Participant
from roadmaps.models import Attendance, Event, Roadmap, RoadmapItem
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
from .figures import completeness, expertise_summary, indicator_summary, roadmap_summary


def dashboard_figures(program, scope, now):
    """The figures of a program's dashboard for a scope: from the cache when nothing under them
    has changed, else computed and kept."""
    today = program.local_today(now)
    next_event = Event.objects.filter(program=program, starts_at__gt=now).aggregate(
        next=Min("starts_at")
    )["next"]
    program_version, every_version = versions(program.pk)
    key = ":".join(
        str(part)
        for part in (
            "figures",
            program.pk,
            scope.query() or "whole",
            today.isoformat(),
            next_event.isoformat() if next_event else "-",
            program_version,
            every_version,
        )
    )
    figures = cache.get(key)
    if figures is None:
        indicators = indicator_summary(program, scope)
        figures = {
            "roadmap": roadmap_summary(program, scope, now),
            "indicators": indicators,
            "effectiveness": compute_all(program, scope, now=now),
            "completeness": completeness(program, scope, indicators["points"]),
            "expertise": expertise_summary(program, scope),
        }
        figures = _plain(figures)
        cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
    return figures


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
# Rows every program's figures may read (names, territories, statuses of schools, the schools'
# risk profiles behind the traceability flags).
EVERY = (Organization, Municipality, Region, SchoolStatus, RiskFactor, RiskProfile, RiskLevel)


def _changed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    if sender in EVERY:
        data_changed(None)
        return
    program_id = PROGRAM_OF[sender](instance)
    # A row whose program is gone (deleted with it) leaves nothing to refresh.
    if program_id is not None:
        data_changed(program_id)


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
