"""The rows behind the dashboard's expertise figure: for each kind of document, the supported
schools counted as having passed expertise and those not, with their documents."""

from django.shortcuts import render

from expertise.thresholds import pass_shares

from .effectiveness import supported_schools
from .scope import program_and_scope


def expertise_detail(request, pk):
    program, scope = program_and_scope(request, pk)
    shares = pass_shares(program, supported_schools(program, scope))
    kind = request.GET.get("kind")
    rows = [row for row in shares["kinds"] if kind is None or row.kind == kind] or shares["kinds"]
    return render(
        request,
        "dashboards/expertise_detail.html",
        {"program": program, "scope": scope, "scope_query": scope.query(), "rows": rows},
    )
