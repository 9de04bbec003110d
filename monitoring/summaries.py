"""A school's indicators at a glance: for each indicator, the baseline, the latest value, the
target that applies to it, and whether the school moved the right way."""

from collections import defaultdict
from dataclasses import dataclass

from .models import Indicator, Measurement, MonitoringPoint, Target


@dataclass
class IndicatorRow:
    indicator: Indicator
    baseline: Measurement | None
    latest: Measurement | None
    target: Target | None

    @property
    def met(self):
        if self.target is None or self.latest is None:
            return None
        return self.target.is_met_by(self.latest.value)

    @property
    def trend(self):
        """ "better", "worse" or "same" against the baseline (`Indicator.movement`)."""
        if self.baseline is None or self.latest is None:
            return None
        return self.indicator.movement(self.baseline.value, self.latest.value)


def school_indicator_rows(user, school):
    """Rows per program ({program: [IndicatorRow]}) of the values the user sees and that count
    (`MeasurementQuerySet.counted`): the latest one, the one at its baseline point
    (`MonitoringPoint.baseline_among`) and the target that applies to the school there
    (`TargetQuerySet.pick`); four queries whatever the number of values."""
    measurements = list(
        Measurement.objects.visible_to(user)
        .counted()
        .filter(organization=school)
        .select_related("indicator__program", "point")
        .order_by("indicator__program_id", "indicator__order", "indicator__code", "point__date")
    )
    programs = {m.indicator.program_id for m in measurements}
    targets = list(Target.objects.for_school(school).filter(indicator__program__in=programs))
    points = defaultdict(list)
    for point in MonitoringPoint.objects.filter(program__in=programs).order_by("date", "pk"):
        points[point.program_id].append(point)
    by_indicator = defaultdict(dict)
    for m in measurements:
        by_indicator[m.indicator_id][m.point_id] = m
    rows = {}
    for values in by_indicator.values():
        indicator = next(iter(values.values())).indicator
        ordered = [p for p in points[indicator.program_id] if p.pk in values]
        latest_point = ordered[-1]
        base_point = MonitoringPoint.baseline_among(points[indicator.program_id], latest_point)
        row = IndicatorRow(indicator, None, None, None)
        if base_point != latest_point:
            row.latest = values[latest_point.pk]
            row.baseline = values.get(base_point.pk)
        elif latest_point.kind == MonitoringPoint.Kind.BASELINE:
            row.baseline = values[latest_point.pk]
        else:
            row.latest = values[latest_point.pk]
        if row.latest is not None:
            row.target = Target.objects.pick(targets, indicator.pk, row.latest.point_id, school.pk)
        rows.setdefault(indicator.program, []).append(row)
    return rows
