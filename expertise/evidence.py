"""What changed at the schools that adopted a practice, from the portal's own data.

For each school-level indicator entered in the practice's program and each adopting school, the
value «до» is the school's value at the last monitoring point on or before the day of adoption,
and «после» its value at the last point after it. Their difference is the school's change; the
program's average change for the same indicator and the same two points is taken over every
school of the program that has both values, so the adopters are seen beside everyone else.
A change is «лучше» when it goes the indicator's way (up, or down for «чем меньше, тем лучше»).

Only values the user may see are used (`Measurement.objects.visible_to`). Costs two queries and
one aggregate per (indicator, pair of points) met, whatever the number of schools.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, OuterRef, Subquery

from monitoring.models import Indicator, Measurement, MonitoringPoint

TENTH = Decimal("0.1")


def _round(value):
    return None if value is None else Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class SchoolChange:
    school: str
    adopted_on: object
    before_point: object
    after_point: object
    before: Decimal
    after: Decimal
    school_id: int | None = None

    @property
    def change(self):
        return self.after - self.before


@dataclass
class IndicatorEvidence:
    """One indicator: each adopter's change, their average, and the program's average."""

    indicator: Indicator
    schools: list = field(default_factory=list)
    program_average: Decimal | None = None
    program_schools: int = 0

    @property
    def average(self):
        if not self.schools:
            return None
        return _round(sum(s.change for s in self.schools) / len(self.schools))

    def _better(self, change):
        return self.indicator.favourable(change)

    @property
    def difference(self):
        """How much more the adopters improved than the program on average, in the
        indicator's favourable direction (positive: better than the program)."""
        if self.average is None or self.program_average is None:
            return None
        return self._better(self.average - self.program_average)

    @property
    def verdict(self):
        difference = self.difference
        if difference is None:
            return None
        return "лучше" if difference > 0 else "хуже" if difference < 0 else "так же"


def practice_evidence(practice, user):
    """[IndicatorEvidence] for the practice's program, indicators with at least one adopter
    measured before and after; [] when the practice names no program or has no adopters."""
    adoptions = list(practice.adoptions.select_related("school"))
    if practice.program_id is None or not adoptions:
        return []
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(program_id=practice.program_id).entered().of_schools()
    }
    points = list(MonitoringPoint.objects.filter(program_id=practice.program_id).order_by("date"))
    visible = Measurement.objects.visible_to(user).filter(
        indicator__in=list(indicators), value__isnull=False
    )
    values = defaultdict(dict)  # (school, indicator) -> {point id: value}
    for school_id, indicator_id, point_id, value in visible.filter(
        organization__in=[a.school_id for a in adoptions]
    ).values_list("organization_id", "indicator_id", "point_id", "value"):
        values[(school_id, indicator_id)][point_id] = value

    evidence = {pk: IndicatorEvidence(indicator) for pk, indicator in indicators.items()}
    pairs = set()
    for adoption in adoptions:
        for indicator_id in indicators:
            measured = values.get((adoption.school_id, indicator_id), {})
            before = [p for p in points if p.date <= adoption.adopted_on and p.pk in measured]
            after = [p for p in points if p.date > adoption.adopted_on and p.pk in measured]
            if not before or not after:
                continue
            first, last = before[-1], after[-1]
            evidence[indicator_id].schools.append(
                SchoolChange(
                    adoption.school.short_name,
                    adoption.adopted_on,
                    first,
                    last,
                    measured[first.pk],
                    measured[last.pk],
                    adoption.school_id,
                )
            )
            pairs.add((indicator_id, first.pk, last.pk))
    for indicator_id, first, last in sorted(pairs):
        before = visible.filter(
            indicator_id=indicator_id, point_id=first, organization=OuterRef("organization")
        ).values("value")[:1]
        figures = (
            visible.filter(indicator_id=indicator_id, point_id=last)
            .annotate(before=Subquery(before))
            .filter(before__isnull=False)
            .aggregate(average=Avg(F("value") - F("before")), schools=Count("pk"))
        )
        row = evidence[indicator_id]
        # With adopters measured between different points, the figure shown is the program's
        # change over the points of most adopters.
        if figures["schools"] >= row.program_schools:
            row.program_average = _round(figures["average"])
            row.program_schools = figures["schools"]
    return [row for row in evidence.values() if row.schools]
