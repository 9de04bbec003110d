"""The home page's plan of the day: what lies ahead this week, what waits for this person, what
is late (grouped by roadmap), and a curator's month of their pair.

Each part asks the models' own rules (`reportable_by`, `due_within`, `late`, `approvable_by`,
`answerable_by`, `fillable_by`) and only arranges what they return: the home decides nothing
about what is due, late or waiting.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from core.access import reach
from core.periods import Period, period_range
from expertise.models import Assignment
from monitoring.models import Measurement, MonitoringPoint
from notices.models import Consultation
from programs.models import CuratorPair
from roadmaps.models import Event, Roadmap

# What the week plans: items due in the next seven days, events of the next two weeks.
WEEK_DAYS = 7
EVENT_DAYS = 14
# The late part shows this many roadmaps, each with this many of its items.
LATE_ROADMAPS = 5
LATE_ITEMS_PER_ROADMAP = 3
ROWS = 20
ITEM_PROGRAM_ZONE = ("roadmap__program__region", "roadmap__program__municipality__region")


@dataclass
class LateGroup:
    """One roadmap's late items: how many, the first few, and where to see them all."""

    roadmap: Roadmap
    count: int
    items: list
    url: str


@dataclass
class PairMonth:
    """A curator's month of one pair: its items due (or late), the events its schools are
    invited to, and the open points with the supported school's sheet."""

    pair: CuratorPair
    first: object
    last: object
    items: list = field(default_factory=list)
    events: list = field(default_factory=list)
    points: list = field(default_factory=list)


def week(user, items, programs, now, today):
    """Items due in the next seven days and events of the next two weeks the user sees."""
    due = (
        items.due_within(WEEK_DAYS - 1, now, programs)
        .select_related(*ITEM_PROGRAM_ZONE)
        .order_by("due_on", "roadmap_id", "order")
    )
    events = (
        Event.objects.visible_to(user)
        .filter(starts_at__gte=now, starts_at__lt=_midnight(today + timedelta(EVENT_DAYS)))
        .select_related("program__region", "program__municipality__region")
        .order_by("starts_at")
    )
    return {
        "first": today,
        "last": today + timedelta(WEEK_DAYS - 1),
        "items": due[:ROWS],
        "items_count": due.count(),
        "events": events[:ROWS],
        "events_count": events.count(),
        "event_days": EVENT_DAYS,
    }


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time()))


def approvals_by_point(user):
    """Values waiting for this approver, across schools, one row per point: how many schools
    and values, and the oldest sending. One query."""
    return list(
        Measurement.objects.awaiting_approval()
        .approvable_in_parts(user)
        .order_by()
        .values("point", "point__title", "point__program__short_title")
        .annotate(
            schools=Count("organization", distinct=True),
            values=Count("pk"),
            since=Min("submitted_at"),
        )
        .order_by("since", "point")[:ROWS]
    )


def waiting(user):
    """What waits for this person's answer: approvals across schools, questions of the
    consultation line, expertise sheets to score."""
    questions = Consultation.objects.answerable_by(user).waiting()
    sheets = Assignment.objects.fillable_by(user).pending()
    return {
        "approvals": approvals_by_point(user),
        "questions": questions.select_related("program", "organization").order_by("asked_at")[
            :ROWS
        ],
        "questions_count": questions.count(),
        "sheets": sheets.select_related("review__document", "round").order_by("due_on", "pk")[
            :ROWS
        ],
        "sheets_count": sheets.count(),
    }


def late_groups(items, programs, now):
    """The late items grouped by roadmap, the roadmaps with most first, capped at
    `LATE_ROADMAPS` groups of `LATE_ITEMS_PER_ROADMAP` items; and the total. Each group links
    to its roadmap's page filtered to what is late. Three queries."""
    late = items.late(now, programs)
    counts = list(
        late.order_by()
        .values("roadmap")
        .annotate(n=Count("pk"))
        .order_by("-n", "roadmap")[:LATE_ROADMAPS]
    )
    roadmaps = Roadmap.objects.select_related("program").in_bulk([row["roadmap"] for row in counts])
    shown = {row["roadmap"]: [] for row in counts}
    for item in (
        late.filter(roadmap__in=list(shown))
        .select_related(*ITEM_PROGRAM_ZONE)
        .order_by("roadmap", "due_on", "order")
    ):
        if len(shown[item.roadmap_id]) < LATE_ITEMS_PER_ROADMAP:
            shown[item.roadmap_id].append(item)
    groups = [
        LateGroup(
            roadmaps[row["roadmap"]],
            row["n"],
            shown[row["roadmap"]],
            reverse("roadmaps:roadmap", args=[row["roadmap"]]) + "?late=on",
        )
        for row in counts
    ]
    return groups, late.count()


def pair_months(user, items, programs, now, today):
    """For a curator, each of their pairs' month ahead: the items of the pair (its roadmaps and
    the supported school's own share) due within 30 days or late, the events inviting either
    school, and the program's open points with the supported school's sheet."""
    r = reach(user)
    if not r.pairs:
        return []
    first, last = period_range(Period.NEXT_30_DAYS, today)
    pairs = CuratorPair.objects.filter(pk__in=r.pairs).select_related(
        "program", "curator_school", "supported_school"
    )
    due = items.due_soon_or_late(30 - 1, now, programs).select_related(*ITEM_PROGRAM_ZONE)
    points = list(
        MonitoringPoint.objects.visible_to(user)
        .open_for_entry(today)
        .filter(program__in={pair.program_id for pair in pairs})
        .order_by("closing_day", "date")
    )
    progress = Measurement.objects.visible_to(user).sheet_progress(
        points, {pair.supported_school_id for pair in pairs}
    )
    months = []
    for pair in pairs:
        schools = [pair.supported_school_id, pair.curator_school_id]
        month = PairMonth(pair, first, last)
        month.items = list(
            due.filter(roadmap__program=pair.program)
            .filter(_of_pair(pair))
            .distinct()
            .order_by("due_on", "order")[:ROWS]
        )
        month.events = list(
            Event.objects.visible_to(user)
            .filter(
                program=pair.program,
                invited__in=schools,
                starts_at__gte=now,
                starts_at__lt=_midnight(last + timedelta(1)),
            )
            .distinct()
            .order_by("starts_at")[:ROWS]
        )
        month.points = [
            (point, progress[point.pk, pair.supported_school_id])
            for point in points
            if point.program_id == pair.program_id
        ]
        months.append(month)
    return months


def _of_pair(pair):
    """Items of the pair's own roadmaps, of its supported school's roadmap, and the items
    either school is responsible for."""
    return (
        Q(roadmap__pair=pair)
        | Q(roadmap__organization=pair.supported_school_id)
        | Q(executions__organization__in=[pair.supported_school_id, pair.curator_school_id])
    )
