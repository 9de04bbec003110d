"""Sections that expertise adds to other apps' pages, each one include: a document's expertise
(its consolidated result and who may act on it) and a school's traceability from risk to
measure to indicator."""

from django import template

from core.access import reach
from programs.models import Document
from roadmaps.models import RoadmapItem
from schools.models import RiskProfile

from ..models import Assignment, documents_assignable_by
from ..results import results_by_version, sheets_of
from ..traceability import FLAG_LABELS, trace

register = template.Library()


@register.inclusion_tag("expertise/_document_expertise.html", takes_context=True)
def document_expertise(context, document):
    """The document's expertise: the consolidated result of each reviewed version, newest
    first, the user's own open sheet, and the coordinator's link to assign reviewers. Reviewer
    names are shown to those who may assign; the school sees roles, scores and comments."""
    user = context["request"].user
    sheets = sheets_of(document)
    mine = [
        s
        for s in sheets
        if s.review.reviewer_id == user.pk and s.version == document.version and not s.is_decided
    ]
    return {
        "document": document,
        "results": results_by_version(sheets),
        "my_open": mine[0] if mine and document.awaits_verdict else None,
        "can_assign": documents_assignable_by(user).contains(document),
        "show_names": reach(user).is_territorial or reach(user).is_admin,
    }


@register.inclusion_tag("expertise/_school_traceability.html", takes_context=True)
def school_traceability(context, school):
    """Each risk factor of the school's newest profile assessed high or medium, the items and
    documents the user sees that address it, the indicators they are tied to, and the flags."""
    user = context["request"].user
    school_trace = trace(
        [school.pk],
        items=RoadmapItem.objects.visible_to(user),
        documents=Document.objects.visible_to(user),
        profiles=RiskProfile.objects.visible_to(user),
    )[school.pk]
    return {"trace": school_trace, "flag_labels": FLAG_LABELS, "school": school}


@register.simple_tag(takes_context=True)
def open_sheets_count(context):
    """How many sheets wait for this user's verdict (for the home page)."""
    user = context["request"].user
    return Assignment.objects.fillable_by(user).pending().count()
