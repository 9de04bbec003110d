"""What helped schools like it: for a school at risk on an indicator, the practices of the bank
adopted by schools with a similar risk profile whose same indicator improved after adoption.

Similar means sharing at least `SHARED_FACTORS` factors assessed high or medium in the newest
submitted profiles (`expertise.traceability.newest_levels`). The change of each adopter is the
bank's own (`expertise.evidence.practice_evidence`: the value at the last point on or before
adoption against the last point after it), and a practice is named only when at least
`MIN_ADOPTERS` similar adopters were measured before and after and their average change went the
indicator's way. Only what the user may see is used: practices, profiles and values.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from expertise.evidence import practice_evidence
from expertise.models import Adoption, Practice
from expertise.traceability import newest_levels
from schools.models import RiskProfile

SHARED_FACTORS = 2
MIN_ADOPTERS = 3


@dataclass
class Helped:
    """A practice that helped similar schools on one indicator."""

    practice: object
    indicator: object
    schools: int
    improved: int
    average: Decimal
    program_average: Decimal | None


def _factors(school_ids, profiles):
    found = {}
    for level in newest_levels(school_ids, profiles):
        found.setdefault(level.profile.school_id, set()).add(level.factor_id)
    return found


def what_helped(user, school, forecasts):
    """{indicator id: [Helped], best first} for the school's forecasts at risk."""
    at_risk = {f.indicator_id: f for f in forecasts if f.at_risk}
    if not at_risk:
        return {}
    profiles = RiskProfile.objects.visible_to(user)
    mine = _factors([school.pk], profiles).get(school.pk, set())
    if len(mine) < SHARED_FACTORS:
        return {}
    programs = {f.program_id for f in at_risk.values()}
    practices = list(
        Practice.objects.visible_to(user)
        .filter(program__in=programs, adoptions__isnull=False)
        .distinct()
        .order_by("title")
    )
    if not practices:
        return {}
    adopters = set(
        Adoption.objects.filter(practice__in=practices)
        .exclude(school=school)
        .values_list("school", flat=True)
    )
    similar = {
        pk
        for pk, factors in _factors(list(adopters), profiles).items()
        if len(factors & mine) >= SHARED_FACTORS
    }
    if len(similar) < MIN_ADOPTERS:
        return {}
    helped = {}
    for practice in practices:
        for row in practice_evidence(practice, user):
            if row.indicator.pk not in at_risk:
                continue
            changes = [
                row.indicator.favourable(s.change) for s in row.schools if s.school_id in similar
            ]
            if len(changes) < MIN_ADOPTERS:
                continue
            average = (sum(changes) / len(changes)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if average <= 0:
                continue
            helped.setdefault(row.indicator.pk, []).append(
                Helped(
                    practice=practice,
                    indicator=row.indicator,
                    schools=len(changes),
                    improved=sum(1 for c in changes if c > 0),
                    average=average,
                    program_average=row.indicator.favourable(row.program_average),
                )
            )
    for rows in helped.values():
        rows.sort(key=lambda h: (-h.average, -h.schools, h.practice.title))
    return helped
