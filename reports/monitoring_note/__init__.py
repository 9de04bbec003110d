"""Аналитическая справка по точке мониторинга: each indicator against its baseline and target,
per school (program-wide values as one row «по программе»), its dynamics as a chart, the schools
that went backwards, and who has not submitted."""

from dashboards.scope import WHOLE
from monitoring.models import MonitoringPoint

from ..common import ReportKind, coverage
from ..territory import breakdown, subtitle_with
from .data import NoteData, NoteSummary
from .sections import (
    backwards_section,
    backwards_summary_section,
    charts_section,
    completeness_section,
    plan_fact_section,
    summary_section,
    territories_section,
    values_section,
)

TITLE = "Аналитическая справка"


def build(point, user, scope=WHOLE):
    program = point.program
    covered = coverage(program, user, scope)
    scope = covered.scope
    shown = breakdown(covered.schools(), scope)
    subtitle = f"Мониторинг показателей на {point.date:%d.%m.%Y}: {point.title}"
    name = f"{program.short_title}, {point.title}"
    if scope.territory is not None:
        name += f", {scope.territory}"
    report = KIND.start(program, subtitle=subtitle_with(scope, subtitle), name=name)
    if shown.is_summary:
        data = NoteSummary.load(point, covered, shown)
        report.add(shown.notice())
        sections = (
            summary_section,
            plan_fact_section,
            charts_section,
            territories_section,
            backwards_summary_section,
        )
    else:
        data = NoteData.load(point, covered)
        sections = (
            summary_section,
            plan_fact_section,
            charts_section,
            values_section,
            backwards_section,
            completeness_section,
        )
    for section in sections:
        report.add(section(data))
    return report


KIND = ReportKind(
    slug="note",
    title=TITLE,
    subject_label="точка мониторинга",
    subject_model=MonitoringPoint,
    queryset=lambda: MonitoringPoint.objects.select_related(
        "program__region", "program__municipality__region"
    ),
    build=build,
    takes_territory=True,
)
