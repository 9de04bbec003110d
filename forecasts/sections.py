"""What the pages show of the stored forecasts: the «риск недостижения целей» section of a
program's and a territory's dashboard, a school's own forecasts and a curator's schools at risk.
Each reads the stored rows only (the task computes them), in a fixed number of queries whatever
the number of schools."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, FloatField, Max, Q, Value
from django.db.models.functions import Coalesce, Greatest

from core.numbers import value_text
from schools.models import Organization

from .models import Forecast, SchoolSignals

# Schools listed by name in a dashboard's section; the rest are counted.
TOP = 20


def _risk():
    """A forecast's larger chance of missing, in the database (either may be missing)."""
    zero = Value(0.0, output_field=FloatField())
    return Greatest(Coalesce("p_miss_next", zero), Coalesce("p_miss_final", zero))


@dataclass
class SchoolAtRisk:
    """One school at risk: its forecasts at risk, the signals of its work, and whether the viewer
    may open its page (only then is its name a link)."""

    school_id: int
    name: str
    program_id: int
    risk: float
    forecasts: list = field(default_factory=list)
    signals: list = field(default_factory=list)
    linked: bool = False

    @property
    def reasons(self):
        """The trend of each indicator at risk, then the signals, each said once."""
        said = []
        for forecast in self.forecasts:
            for reason in forecast.reasons:
                text = f"{forecast.indicator.code}: {reason}"
                if text not in said:
                    said.append(text)
        return said + [s for s in self.signals if s not in said]


def _schools_at_risk(forecasts, user, limit=None):
    """[SchoolAtRisk] of the forecasts at risk, riskiest first; `limit` schools at most."""
    ranked = (
        forecasts.at_risk()
        .values("program", "school", "school__short_name")
        .annotate(risk=Max(_risk()))
        .order_by("-risk", "school__short_name", "school", "program")
    )
    ranked = list(ranked[:limit] if limit else ranked)
    if not ranked:
        return []
    keys = {(row["program"], row["school"]) for row in ranked}
    school_ids = {row["school"] for row in ranked}
    program_ids = {row["program"] for row in ranked}
    rows = {
        (row["program"], row["school"]): SchoolAtRisk(
            row["school"], row["school__short_name"], row["program"], row["risk"]
        )
        for row in ranked
    }
    for forecast in (
        forecasts.at_risk()
        .filter(school__in=school_ids, program__in=program_ids)
        .select_related("indicator", "next_point", "final_point")
        .order_by("indicator__order", "indicator__code")
    ):
        key = (forecast.program_id, forecast.school_id)
        if key in keys:
            rows[key].forecasts.append(forecast)
    for program_id, school_id, reasons in SchoolSignals.objects.filter(
        program__in=program_ids, school__in=school_ids
    ).values_list("program", "school", "reasons"):
        if (program_id, school_id) in keys:
            rows[(program_id, school_id)].signals = reasons
    linked = set(
        Organization.objects.visible_to(user).filter(pk__in=school_ids).values_list("pk", flat=True)
    )
    for row in rows.values():
        row.linked = row.school_id in linked
    return [rows[(row["program"], row["school"])] for row in ranked]


def dashboard_section(user, programs, scope):
    """The «риск недостижения целей» section of a dashboard over `programs` (one program's, or a
    territory's), narrowed to its `scope` — the part of each program the viewer may watch, as
    the dashboard's figures are (`dashboards.scope.scope_for`): the number of schools at risk,
    the count by indicator, and the riskiest `TOP` schools with their reasons."""
    forecasts = Forecast.objects.filter(program__in=programs).in_scope(scope)
    at_risk = forecasts.at_risk()
    by_indicator = list(
        at_risk.values("indicator", "indicator__code", "indicator__title", "program")
        .annotate(schools=Count("school"), program_title=F("program__short_title"))
        .order_by("program_title", "program", "indicator__code")
    )
    counts = forecasts.aggregate(
        schools=Count("school", distinct=True),
        at_risk=Count("school", distinct=True, filter=Q(at_risk=True)),
        computed=Max("computed_at"),
    )
    schools = _schools_at_risk(forecasts, user, limit=TOP)
    return {
        "forecast_schools": counts["schools"],
        "at_risk_schools": counts["at_risk"],
        "computed_at": counts["computed"],
        "by_indicator": by_indicator,
        "schools": schools,
        "more": max(counts["at_risk"] - len(schools), 0),
    }


def school_section(user, school):
    """A school's own forecasts, in every program the user sees it in: each indicator with its
    forecast, range, target and chance, and the school's signals."""
    forecasts = list(
        Forecast.objects.visible_to(user)
        .filter(school=school)
        .select_related("program", "indicator", "next_point", "final_point")
        .order_by("program__short_title", "indicator__order", "indicator__code")
    )
    signals = dict(
        SchoolSignals.objects.visible_to(user)
        .filter(school=school)
        .values_list("program", "reasons")
    )
    by_program = defaultdict(list)
    for forecast in forecasts:
        by_program[forecast.program].append(forecast)
    return [
        {"program": program, "forecasts": rows, "signals": signals.get(program.pk, [])}
        for program, rows in by_program.items()
    ]


def curator_section(user, schools):
    """The curator's schools (`schools`: those of their pairs) at risk, in the programs of their
    pairs, through the access rule of forecasts."""
    if not schools:
        return []
    return _schools_at_risk(Forecast.objects.visible_to(user).filter(school__in=schools), user)


@dataclass(frozen=True)
class NoteRow:
    """One school's forecast at risk as a report prints it."""

    school: str
    indicator: str
    last: str
    forecast: str
    target: str
    chance: int
    reliability: str
    reasons: str


def note_rows(forecasts):
    """The forecasts at risk among `forecasts` (already narrowed to a report's schools), as rows
    of the monitoring note, riskiest first, each with its reasons: the trend and the school's
    signals. Two queries."""
    rows = list(
        forecasts.at_risk()
        .select_related("school", "indicator", "final_point", "next_point")
        .annotate(risk=_risk())
        .order_by("-risk", "school__short_name", "indicator__order", "indicator__code")
    )
    signals = {
        (program_id, school_id): reasons
        for program_id, school_id, reasons in SchoolSignals.objects.filter(
            program__in={f.program_id for f in rows}, school__in={f.school_id for f in rows}
        ).values_list("program", "school", "reasons")
    }
    result = []
    for f in rows:
        unit = f.indicator.unit
        point = f.final_point or f.next_point
        value, low, high, target = (
            (f.final_value, f.final_low, f.final_high, f.final_target)
            if f.final_point
            else (f.next_value, f.next_low, f.next_high, f.next_target)
        )
        result.append(
            NoteRow(
                school=f.school.short_name,
                indicator=f"{f.indicator.code}. {f.indicator.title}",
                last=value_text(f.last_value, unit),
                forecast=f"{value_text(value, unit)} ({value_text(low, unit)} – "
                f"{value_text(high, unit)}) к «{point}»",
                target=target or "—",
                chance=round(100 * (f.p_miss or 0)),
                reliability=f.get_confidence_display(),
                reasons="; ".join([*f.reasons, *signals.get((f.program_id, f.school_id), [])])
                or "—",
            )
        )
    return result


def new_at_risk(user, since):
    """Names of the schools the user sees that became at risk on some indicator since `since`
    (the stored `at_risk_since`, kept from one recomputation to the next), by name."""
    return list(
        Forecast.objects.visible_to(user)
        .at_risk()
        .filter(at_risk_since__gte=since)
        .order_by("school__short_name")
        .values_list("school__short_name", flat=True)
        .distinct()
    )
