"""Pages of a long list, several on one page: each table has its own page parameter, so paging
the pairs leaves the participants where they were."""

from django.conf import settings
from django.core.paginator import Paginator
from django_tables2 import RequestConfig


def page_size():
    """Rows on a page of every list and table: the one setting `PAGE_SIZE`, read when a page is
    made so that a changed setting takes effect."""
    return settings.PAGE_SIZE


def paginate(request, table):
    """Sort and page a django-tables2 table by the request, `PAGE_SIZE` rows a page."""
    return RequestConfig(request, paginate={"per_page": page_size()}).configure(table)


def sort_all(request, table):
    """Sort a django-tables2 table by the request and keep every row: the table as its Excel
    file gives it."""
    return RequestConfig(request, paginate=False).configure(table)


def page_of(request, rows, param="page"):
    """The page of `rows` named by `?<param>=` (the first page for a missing or wrong number),
    `PAGE_SIZE` rows, with `param` kept on it for the page links."""
    page = Paginator(rows, page_size()).get_page(request.GET.get(param))
    page.param = param
    return page


def annotate_page(page, annotated, names=None):
    """Copy the annotations `names` (every one, by default) onto the rows of the page from
    `annotated` (a queryset of the same model with them, e.g. counts over a join), computed for
    this page's rows only: counting over every row of a table only to show fifty would cost the
    whole table."""
    names = list(names or annotated.query.annotations)
    rows = list(page)
    values = {
        row["pk"]: row for row in annotated.filter(pk__in=[r.pk for r in rows]).values("pk", *names)
    }
    for row in rows:
        for name in names:
            setattr(row, name, values.get(row.pk, {}).get(name))
    return page


def count_up_to(queryset, limit):
    """How many rows, counting no further than one past `limit`: a federal coordinator's
    to-do may hold 135,000 values, and the database stops at `limit` + 1 instead of counting
    them all. Shown with the `up_to` filter: «более 1 000» past the limit."""
    return queryset.order_by()[: limit + 1].count()
