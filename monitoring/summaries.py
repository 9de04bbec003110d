"""A school's indicators at a glance: for each indicator, the baseline, the latest value, the
target that applies to it, and whether the school moved the right way."""

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
        """ "better", "worse" or "same" against the baseline, by the indicator's direction."""
        if self.baseline is None or self.latest is None:
            return None
        before, after = self.baseline.value, self.latest.value
        if before is None or after is None or before == after:
            return "same" if before == after and before is not None else None
        went_up = after > before
        good = went_up == (self.indicator.direction == Indicator.Direction.UP)
        return "better" if good else "worse"


def school_indicator_rows(user, school):
    """Rows per program ({program: [IndicatorRow]}) of the values the user sees; three queries
    whatever the number of values."""
    measurements = list(
        Measurement.objects.visible_to(user)
        .filter(organization=school, value__isnull=False)
        .select_related("indicator__program", "point")
        .order_by("indicator__program_id", "indicator__order", "indicator__code", "point__date")
    )
    programs = {m.indicator.program_id for m in measurements}
    targets = list(Target.objects.for_school(school).filter(indicator__program__in=programs))
    rows, current = {}, {}
    for m in measurements:
        key = m.indicator_id
        if key not in current:
            current[key] = IndicatorRow(m.indicator, None, None, None)
            rows.setdefault(m.indicator.program, []).append(current[key])
        row = current[key]
        if m.point.kind == MonitoringPoint.Kind.BASELINE:
            row.baseline = m
        else:
            row.latest = m
    for row in current.values():
        if row.latest is not None:
            row.target = Target.objects.pick(targets, row.indicator.pk, row.latest.point_id)
    return rows
