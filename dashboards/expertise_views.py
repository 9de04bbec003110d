"""The rows behind the dashboard's expertise figure: for each kind of document, the supported
schools counted as having passed expertise and those not, with their documents."""

from django.shortcuts import render

from core.pagination import page_of
from expertise.thresholds import pass_shares

from .effectiveness import supported_schools
from .scope import program_and_scope


def expertise_detail(request, pk):
    program, scope = program_and_scope(request, pk)
    # The page lists the kinds' schools, not the territories' table: it is not built.
    shares = pass_shares(program, supported_schools(program, scope), territories=False)
    kind = request.GET.get("kind")
    rows = [row for row in shares["kinds"] if kind is None or row.kind == kind] or shares["kinds"]
    # A national program has thousands of schools per kind: each kind's list is paged on its
    # own, counted schools first, as the figure counts them.
    for row in rows:
        row.anchor = f"kind-{row.kind or 'all'}"
        row.page = page_of(
            request,
            [(s, True) for s in row.counted] + [(s, False) for s in row.not_counted],
            f"page-{row.kind or 'all'}",
        )
    return render(
        request,
        "dashboards/expertise_detail.html",
        {"program": program, "scope": scope, "scope_query": scope.query(), "rows": rows},
    )
