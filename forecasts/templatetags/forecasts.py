"""Sections that the forecasts add to other apps' pages, each one include: the «риск
недостижения целей» section of a program's and a territory's dashboard, a school's own forecasts
and a curator's schools at risk on the home page."""

from django import template

from core.access import reach

from ..helped import MIN_ADOPTERS, what_helped
from ..leading import CURATOR_IDLE_WEEKS
from ..models import AT_RISK
from ..sections import curator_section, dashboard_section, school_section

register = template.Library()


@register.inclusion_tag("forecasts/_risk_section.html", takes_context=True)
def risk_section(context, program, scope):
    """A program's dashboard: its schools at risk within the dashboard's scope."""
    user = context["request"].user
    return {
        "risk": dashboard_section(user, [program], scope),
        "single_program": True,
        "at_risk_threshold": AT_RISK,
        "idle_weeks": CURATOR_IDLE_WEEKS,
    }


@register.inclusion_tag("forecasts/_risk_section.html", takes_context=True)
def territory_risk_section(context, rows, scope):
    """A territory's dashboard: the schools at risk of the territory in each program listed."""
    user = context["request"].user
    return {
        "risk": dashboard_section(user, [row["program"] for row in rows], scope),
        "single_program": False,
        "at_risk_threshold": AT_RISK,
        "idle_weeks": CURATOR_IDLE_WEEKS,
    }


@register.inclusion_tag("forecasts/_school_forecasts.html", takes_context=True)
def school_forecasts(context, school):
    """A school's page: its forecasts in the programs the user sees it in, and for each
    indicator at risk the practices that helped schools like it."""
    user = context["request"].user
    programs = school_section(user, school)
    helped = what_helped(user, school, [f for p in programs for f in p["forecasts"]])
    for block in programs:
        block["helped"] = [
            (forecast, helped[forecast.indicator_id])
            for forecast in block["forecasts"]
            if forecast.indicator_id in helped
        ]
    return {"programs": programs, "school": school, "min_adopters": MIN_ADOPTERS}


@register.inclusion_tag("forecasts/_curator_risks.html", takes_context=True)
def curator_risks(context):
    """A curator's home: the schools of their pairs at risk."""
    user = context["request"].user
    return {"schools": curator_section(user, reach(user).curated_schools)}
