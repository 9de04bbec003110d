"""The kinds of report, by the slug used in URLs and in `manage.py render_report`."""

from . import (
    event_participation,
    half_year,
    monitoring_note,
    passport,
    roadmap_execution,
    school_card,
)

KINDS = {
    kind.slug: kind
    for kind in (
        passport.KIND,
        roadmap_execution.KIND,
        monitoring_note.KIND,
        half_year.KIND,
        school_card.KIND,
        event_participation.KIND,
    )
}


def kinds_for(subject):
    """The kinds of report about this subject (a program, a roadmap, a point, a school)."""
    return [
        kind
        for kind in KINDS.values()
        if isinstance(subject, kind.subject_model) and kind.applies_to(subject)
    ]
