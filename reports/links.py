"""URLs of a report, light enough to import from a template tag (no WeasyPrint, no openpyxl)."""

from django.urls import reverse
from django.utils.http import urlencode

from core.text import shorten

from .common import made_at
from .half_year import default_period


def report_urls(kind, subject, query=""):
    """The page, PDF and Excel URLs of a report, with the query (its period) carried along."""
    suffix = f"?{query}" if query else ""
    return {
        fmt: reverse(name, args=[kind.slug, subject.pk]) + suffix
        for fmt, name in (
            ("page", "reports:report"),
            ("pdf", "reports:report_pdf"),
            ("xlsx", "reports:report_xlsx"),
        )
    }


def period_query(program, today=None):
    """?from=…&to=… of the half-year a program's report covers by default."""
    start, end = default_period(program, today or made_at(program).date())
    return urlencode({"from": start.isoformat(), "to": end.isoformat()})


# A national program has thousands of school and pair roadmaps: its page lists the reports of
# the program's own roadmaps (program and municipal level), at most this many.
PROGRAM_ROADMAPS_LISTED = 20


def program_reports(program, user):
    """Every report of a program, for its page, in three queries: the program's own (passport,
    half-year report, event participation), the monitoring note of each point, and the roadmap
    execution report of each program-level and municipal roadmap the user sees. School and pair
    roadmaps are only counted: their report is on each roadmap's page."""
    from roadmaps.models import Roadmap

    from .kinds import KINDS, kinds_for

    def link(kind, subject, title):
        query = period_query(subject) if kind.takes_period else ""
        return {"title": title, **report_urls(kind, subject, query)}

    note, execution = KINDS["note"], KINDS["roadmap"]
    roadmaps = Roadmap.objects.visible_to(user).filter(program=program)
    own_levels = (Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL)
    own = list(
        roadmaps.filter(level__in=own_levels).order_by("level", "title")[
            : PROGRAM_ROADMAPS_LISTED + 1
        ]
    )
    points = program.points.visible_to(user).order_by("date")
    return {
        "program": [link(kind, program, kind.title) for kind in kinds_for(program)],
        "points": [
            link(note, point, f"{note.title}: {point.title}, {point.date:%d.%m.%Y}")
            for point in points
        ],
        "roadmaps": [
            link(execution, roadmap, f"{execution.title}: {shorten(roadmap.title, 90)}")
            for roadmap in own[:PROGRAM_ROADMAPS_LISTED]
        ],
        "more_roadmaps": len(own) > PROGRAM_ROADMAPS_LISTED,
        "school_roadmaps": roadmaps.exclude(level__in=own_levels).count(),
    }
