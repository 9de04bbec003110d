"""URLs of a report, light enough to import from a template tag (no WeasyPrint, no openpyxl)."""

from django.urls import reverse
from django.utils.http import urlencode

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
