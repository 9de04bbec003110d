"""Pages of a long list, several on one page: each table has its own page parameter, so paging
the pairs leaves the participants where they were."""

from django.core.paginator import Paginator

PER_PAGE = 50


def page_of(request, rows, param, per_page=PER_PAGE):
    """The page of `rows` named by `?<param>=` (the first page for a missing or wrong number),
    with `param` kept on it for the page links."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
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
