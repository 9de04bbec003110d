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
