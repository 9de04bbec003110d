"""The dashboard's expertise section: the share of participants whose documents passed
expertise against the order's threshold, and the traceability flags summed over the scope's
supported schools. One include on the dashboard page; the figures are `expertise`'s."""

from django import template

from expertise.thresholds import pass_shares
from expertise.traceability import FLAG_LABELS, summary, trace
from programs.models import Document
from roadmaps.models import RoadmapItem

from ..effectiveness import supported_schools

register = template.Library()

FLAGGED_SHOWN = 10


@register.inclusion_tag("dashboards/_expertise.html")
def expertise_section(program, scope, scope_query=""):
    schools = supported_schools(program, scope)
    traces = trace(
        schools.values_list("pk", flat=True),
        items=RoadmapItem.objects.filter(roadmap__program=program).in_scope(scope),
        documents=Document.objects.filter(program=program),
    )
    flagged = [t for t in traces.values() if t.has_flags]
    names = dict(
        schools.filter(pk__in=[t.school_id for t in flagged]).values_list("pk", "short_name")
    )
    flagged.sort(key=lambda t: (-sum(t.flag_counts.values()), names.get(t.school_id, "")))
    return {
        "program": program,
        "scope_query": scope_query,
        "shares": pass_shares(program, schools),
        "trace": summary(traces),
        "flag_labels": FLAG_LABELS,
        "flagged": [(names.get(t.school_id, ""), t) for t in flagged[:FLAGGED_SHOWN]],
        "more": max(len(flagged) - FLAGGED_SHOWN, 0),
    }
