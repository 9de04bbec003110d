"""A program's forecasts, computed from its approved values and stored (`Forecast`).

For each school-level indicator that schools enter and that has a target, each supported school
with approved values at two points or more gets a forecast at the program's next point after its
last value and at the final point (`estimate.py`), the targets that apply there
(`TargetQuerySet.pick`, so a target set only at the final point counts there) and the trend in
words. A school with one value, or only values after the final point, gets none.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import numbers
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target

from . import estimate
from .leading import school_signals
from .models import AT_RISK, Confidence, Forecast, SchoolSignals

# Fewer schools than this behind the program's average slope make it a guess: a new indicator.
FEW_SCHOOLS = 3

DATIVE = {2: "двум", 3: "трём", 4: "четырём", 5: "пяти", 6: "шести", 7: "семи", 8: "восьми"}


def points_words(count):
    """«по двум точкам», «по 12 точкам»."""
    return f"по {DATIVE.get(count, count)} точкам"


def trend_reason(indicator, values):
    """The school's latest run of values in words, when it goes the wrong way or stands still:
    «снижение по двум точкам» (a fall, for an indicator where more is better), «рост по трём
    точкам» (a rise, where less is better), «без изменений по двум точкам»; None when the last
    change is an improvement. Better and worse are `Indicator.movement`'s."""
    last = indicator.movement(values[-2], values[-1])
    if last == Indicator.BETTER:
        return None
    run = 1
    while run < len(values) - 1 and indicator.movement(values[-run - 2], values[-run - 1]) == last:
        run += 1
    if last == Indicator.SAME:
        return f"без изменений {points_words(run + 1)}"
    word = "снижение" if values[-1] < values[-2] else "рост"
    return f"{word} {points_words(run + 1)}"


def goal_of(target, indicator):
    if target is None:
        return None
    return estimate.Goal(
        value=float(target.value),
        comparison=target.comparison,
        yes_no=indicator.unit == Indicator.Unit.YES_NO,
        direction=indicator.direction,
    )


def confidence_of(points, schools):
    """«низкая» with two points or a program's average from fewer than `FEW_SCHOOLS` schools (a
    new indicator), «средняя» with three points, «высокая» with more."""
    if points <= 2 or schools < FEW_SCHOOLS:
        return Confidence.LOW
    return Confidence.MEDIUM if points == 3 else Confidence.HIGH


def _decimal(value):
    return Decimal(str(round(value, 2)))


@dataclass
class Outlook:
    """One school's forecast at one point, before it is stored."""

    point: object
    prediction: object
    target: object

    def fields(self, prefix, unit):
        target_text = (
            numbers.target_text(self.target.get_comparison_display(), self.target.value, unit)
            if self.target is not None
            else ""
        )
        p = self.prediction
        return {
            f"{prefix}_point": self.point,
            f"{prefix}_value": _decimal(p.value),
            f"{prefix}_low": _decimal(p.low),
            f"{prefix}_high": _decimal(p.high),
            f"{prefix}_target": target_text,
            f"p_miss_{prefix}": None if p.p_miss is None else round(p.p_miss, 4),
        }


def final_point_of(points):
    """The program's final point: the last of the kind «итоговый», else its last point."""
    finals = [p for p in points if p.kind == MonitoringPoint.Kind.FINAL]
    return finals[-1] if finals else (points[-1] if points else None)


def forecast_program(program, now=None):
    """[Forecast] (unsaved) of every school and indicator of the program that has one."""
    now = now or timezone.now()
    points = list(MonitoringPoint.objects.filter(program=program).order_by("date", "pk"))
    if len(points) < 2:
        return []
    start, final = points[0].date, final_point_of(points)
    by_id = {p.pk: p for p in points}
    indicators = {i.pk: i for i in Indicator.objects.filter(program=program).entered().of_schools()}
    targets = list(Target.objects.filter(indicator__in=list(indicators)))
    with_targets = {t.indicator_id for t in targets}
    values = defaultdict(lambda: defaultdict(list))  # indicator -> school -> [(point, value)]
    for indicator_id, school_id, point_id, value in (
        Measurement.objects.counted()
        .filter(
            indicator__in=[pk for pk in indicators if pk in with_targets],
            organization__in=program.supported_schools(),
        )
        .values_list("indicator_id", "organization_id", "point_id", "value")
    ):
        values[indicator_id][school_id].append((by_id[point_id], value))

    forecasts = []
    for indicator_id, schools in values.items():
        indicator = indicators[indicator_id]
        for history in schools.values():
            history.sort(key=lambda pair: pair[0].date)
        trends = estimate.fit(
            {
                school: [(estimate.years(p.date, start), float(v)) for p, v in history]
                for school, history in schools.items()
            }
        )
        for school_id, trend in trends.items():
            history = schools[school_id]
            last_point, last_value = history[-1]
            ahead = [p for p in points if p.date > last_point.date]
            if not ahead:
                continue
            outlooks = {}
            for prefix, point in (("next", ahead[0]), ("final", final)):
                if point.date <= last_point.date:
                    continue
                target = Target.objects.pick(targets, indicator_id, point.pk, school_id)
                prediction = estimate.predict(
                    trend,
                    estimate.years(point.date, start),
                    indicator.unit,
                    goal_of(target, indicator),
                )
                outlooks[prefix] = Outlook(point, prediction, target)
            chances = [o.prediction.p_miss for o in outlooks.values()]
            chances = [p for p in chances if p is not None]
            if not chances:
                continue  # no target ahead of this school
            at_risk = max(chances) >= AT_RISK
            reason = trend_reason(indicator, [float(v) for _p, v in history])
            if reason is None and at_risk:
                reason = "улучшение медленнее, чем нужно для цели"
            fields = {}
            for prefix, outlook in outlooks.items():
                fields.update(outlook.fields(prefix, indicator.unit))
            forecasts.append(
                Forecast(
                    program=program,
                    indicator=indicator,
                    school_id=school_id,
                    computed_at=now,
                    points_used=trend.n,
                    last_point=last_point,
                    last_value=last_value,
                    at_risk=at_risk,
                    confidence=confidence_of(trend.n, len(trends)),
                    reasons=[reason] if reason else [],
                    **fields,
                )
            )
    return forecasts


# What a stored row says, beside when it was computed: a recomputation that says the same leaves
# the rows as they are (a demo loaded twice, a day without new values).
UNCHANGED_FIELDS = ("id", "computed_at", "at_risk_since")


def _content(row):
    return tuple(
        (f.attname, getattr(row, f.attname))
        for f in type(row)._meta.concrete_fields
        if f.attname not in UNCHANGED_FIELDS
    )


def _replace(model, program, fresh):
    """Store `fresh` as the program's rows of `model` unless they say what the stored ones do."""
    stored = model.objects.filter(program=program)
    if sorted(map(_content, stored)) == sorted(map(_content, fresh)):
        return
    stored.delete()
    model.objects.bulk_create(fresh)


def recompute(program, now=None):
    """Replace the program's stored forecasts and schools' signals with fresh ones, keeping for
    each school and indicator still at risk the moment it became so. Returns the number of
    forecasts."""
    now = now or timezone.now()
    fresh = forecast_program(program, now)
    signals = school_signals(program, now)
    with transaction.atomic():
        before = {
            (row["indicator_id"], row["school_id"]): row["at_risk_since"]
            for row in Forecast.objects.filter(program=program, at_risk=True).values(
                "indicator_id", "school_id", "at_risk_since"
            )
        }
        for forecast in fresh:
            if forecast.at_risk:
                forecast.at_risk_since = before.get(
                    (forecast.indicator_id, forecast.school_id), now
                )
        _replace(Forecast, program, fresh)
        _replace(SchoolSignals, program, signals)
    return len(fresh)
