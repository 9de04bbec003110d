"""`{% report_links subject as links %}`: the reports about a subject, for reports/_links.html."""

from django import template

from reports.kinds import kinds_for
from reports.links import period_query, program_reports, report_urls

register = template.Library()


@register.simple_tag
def report_links(subject):
    """[{title, page, pdf, xlsx}] of the reports about `subject`; no queries, since the page that
    shows the subject has already checked the user may see it (the report views check again)."""
    links = []
    for kind in kinds_for(subject):
        query = period_query(subject) if kind.takes_period else ""
        links.append({"title": kind.title, **report_urls(kind, subject, query)})
    return links


@register.simple_tag(takes_context=True)
def program_report_links(context, program):
    """`{% program_report_links program as reports %}`: every report of the program the signed-in
    user may see, for reports/_program_reports.html (`reports.links.program_reports`; three
    queries)."""
    return program_reports(program, context["request"].user)
