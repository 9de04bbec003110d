"""A program's dashboard figures for a scope as plain data: what the API answers and what the
open-data files are made of. Every figure is the dashboard's own (`dashboards.cache.
dashboard_figures`, kept in the cache until the data under it changes); nothing is computed
here, only read out."""

from django.utils import timezone

from dashboards.cache import dashboard_figures


def _number(value):
    return None if value is None else float(value)


def _target(target):
    if target is None:
        return None, None
    return _number(target.value), target.comparison


def figures_data(program, scope, now=None):
    """{schools, roadmap, modules, completeness, indicators, effectiveness} of `program` in
    `scope` (a `dashboards.scope.Scope` already checked for the person, or chosen for the
    public), with ids and codes instead of objects."""
    figures = dashboard_figures(program, scope, now or timezone.now())
    roadmap = figures["roadmap"]
    indicators = figures["indicators"]
    completeness = figures["completeness"]
    return {
        "schools": completeness["school_count"],
        "roadmap": {key: roadmap["totals"].get(key) for key in ROADMAP_KEYS},
        "modules": [
            {"title": row["title"], **{key: row.get(key) for key in ROADMAP_KEYS}}
            for row in roadmap["by_module"]
        ],
        "completeness": [
            {
                "point_id": row["point"].pk,
                "point": row["point"].title,
                "date": row["point"].date,
                "expected": row["expected"],
                "complete": row["complete"],
                "partial": row["partial"],
                "missing": row["missing"],
                "late": row["late"],
                "share": _number(row["share"]),
            }
            for row in completeness["rows"]
        ],
        "indicators": [_indicator(row) for row in indicators["rows"]],
        "effectiveness": [_effectiveness(result) for result in figures["effectiveness"]],
    }


ROADMAP_KEYS = ("total", "done", "in_progress", "not_done", "planned", "cancelled", "late", "share")


def _indicator(row):
    indicator = row.indicator
    target, comparison = _target(row.latest_target)
    points = []
    for cell in row.cells:
        cell_target, cell_comparison = _target(cell["target"])
        points.append(
            {
                "point_id": cell["point"].pk,
                "point": cell["point"].title,
                "date": cell["point"].date,
                "average": _number(cell["average"]),
                "schools_measured": cell["count"],
                "target": cell_target,
                "comparison": cell_comparison,
                "schools_met": cell["met"],
            }
        )
    return {
        "indicator_id": indicator.pk,
        "code": indicator.code,
        "title": indicator.title,
        "unit": indicator.unit,
        "baseline": _number(row.baseline),
        "latest": _number(row.latest),
        "latest_target": target,
        "latest_comparison": comparison,
        "schools_measured": row.measured,
        "schools_met": row.met,
        "improved": row.improved,
        "worsened": row.worsened,
        "points": points,
    }


def _effectiveness(result):
    threshold, comparison = _target(result.threshold)
    return {
        "indicator_id": result.indicator.pk,
        "code": result.indicator.code,
        "title": result.indicator.title,
        "value": _number(result.value),
        "numerator": result.numerator,
        "denominator": result.denominator,
        "threshold": threshold,
        "comparison": comparison,
        "met": result.met,
    }
