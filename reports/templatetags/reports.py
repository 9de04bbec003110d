"""`{% report_links subject as links %}`: the reports about a subject, for reports/_links.html."""

from django import template

from reports.kinds import kinds_for
from reports.links import period_query, report_urls

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
