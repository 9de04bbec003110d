"""The curator pairing assistant: for a supported school, curator schools ranked by how well
they fit, with the reasons shown.

Three things make a good curator, weighed as the support models describe them:
- complementary risks (half the score): the curator is strong where the school is weak. Over
  the factors the school's newest profile assesses high or medium, weighted by the school's
  level, a curator with the factor absent or low scores fully, medium a little, high not at all;
  a curator without a risk profile scores nothing here;
- proximity (three tenths): the same municipality scores fully, the same region half;
- load (a fifth): a school that curates no one scores fully, one that curates n schools in
  programs under way 1 / (1 + n).

Candidates are the schools the coordinator sees that are curators in the program or identified
as «резильентные» or «эффективные», never the school itself, its branches or parent, nor a
school supported in the program. Costs five queries whatever the number of candidates.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from programs.models import CuratorPair, Participant, Program
from schools.models import Organization, RiskLevel, SchoolStatus

from .models import own_organizations
from .traceability import ASSESSED, newest_profiles

RISK_WEIGHT, PROXIMITY_WEIGHT, LOAD_WEIGHT = Decimal("0.5"), Decimal("0.3"), Decimal("0.2")
# What a curator's level of a factor is worth where the school is at risk.
CREDIT = {
    RiskLevel.Level.NONE: Decimal(1),
    RiskLevel.Level.LOW: Decimal(1),
    RiskLevel.Level.MEDIUM: Decimal("0.3"),
    RiskLevel.Level.HIGH: Decimal(0),
}
STRONG = (RiskLevel.Level.NONE, RiskLevel.Level.LOW)


@dataclass
class Suggestion:
    school: Organization
    score: Decimal
    risk: Decimal
    proximity: Decimal
    load: int
    reasons: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _levels(school_ids):
    """{school id: {factor id: level}} from each school's newest profile, every level (a
    curator's strengths are its low ones): one query."""
    result = defaultdict(dict)
    for level in RiskLevel.objects.filter(profile__in=newest_profiles(school_ids)).select_related(
        "factor", "profile"
    ):
        result[level.profile.school_id][level.factor_id] = level
    return result


def candidates(program, school, user):
    """Schools that could curate `school` in `program`, among those the user sees."""
    strong = SchoolStatus.objects.filter(
        category__in=[SchoolStatus.Category.RESILIENT, SchoolStatus.Category.EFFECTIVE]
    ).values("school")
    curators = Participant.objects.filter(program=program, role=Participant.Role.CURATOR).values(
        "organization"
    )
    supported = Participant.objects.filter(program=program).supported().values("organization")
    return (
        Organization.objects.visible_to(user)
        .schools()
        .filter(Q(pk__in=curators) | Q(pk__in=strong))
        .exclude(pk__in=own_organizations(school))
        .exclude(pk__in=supported)
        .select_related("municipality", "region")
    )


def suggest(program, school, user, limit=20):
    """The candidates ranked best first (score, then name), at most `limit`."""
    found = list(candidates(program, school, user))
    ids = [c.pk for c in found]
    levels = _levels([school.pk, *ids])
    loads = dict(
        CuratorPair.objects.filter(curator_school__in=ids)
        .exclude(program__status=Program.Status.COMPLETED)
        .values_list("curator_school")
        .annotate(n=Count("pk"))
    )
    own = {fid: lvl for fid, lvl in levels.get(school.pk, {}).items() if lvl.level in ASSESSED}
    weights = {fid: Decimal(RiskLevel.SEVERITY[lvl.level]) for fid, lvl in own.items()}
    suggestions = []
    for candidate in found:
        reasons, warnings = [], []
        theirs = levels.get(candidate.pk, {})
        if not own:
            risk = Decimal(0)
            warnings.append("у школы нет оценённых факторов риска — сравнить профили нельзя")
        elif not theirs:
            risk = Decimal(0)
            warnings.append("у школы-кандидата нет рискового профиля")
        else:
            credit = sum(weights[fid] * CREDIT[theirs[fid].level] for fid in own if fid in theirs)
            risk = credit / sum(weights.values())
            strong = [own[fid] for fid in own if fid in theirs and theirs[fid].level in STRONG]
            weak = [
                own[fid]
                for fid in own
                if fid in theirs and theirs[fid].level == RiskLevel.Level.HIGH
            ]
            if strong:
                reasons.append(
                    "сильна там, где школа слаба: "
                    + "; ".join(
                        f"{lvl.factor.code} {lvl.factor.title} (у школы {lvl.get_level_display()}, "
                        f"у кандидата {theirs[lvl.factor_id].get_level_display()})"
                        for lvl in strong
                    )
                )
            if weak:
                warnings.append(
                    "тот же высокий риск: "
                    + "; ".join(f"{w.factor.code} {w.factor.title}" for w in weak)
                )
        if candidate.municipality_id and candidate.municipality_id == school.municipality_id:
            proximity = Decimal(1)
            reasons.append(f"тот же муниципалитет: {candidate.municipality}")
        elif candidate.region_id == school.region_id:
            proximity = Decimal("0.5")
            reasons.append(f"тот же регион, {candidate.territory_name}")
        else:
            proximity = Decimal(0)
            warnings.append(f"другой регион: {candidate.region}")
        load = loads.get(candidate.pk, 0)
        if load:
            warnings.append(f"уже курирует школ: {load}")
        else:
            reasons.append("не курирует ни одной школы")
        score = RISK_WEIGHT * risk + PROXIMITY_WEIGHT * proximity + LOAD_WEIGHT / (1 + load)
        suggestions.append(
            Suggestion(
                school=candidate,
                score=score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                risk=risk.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                proximity=proximity,
                load=load,
                reasons=reasons,
                warnings=warnings,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.school.short_name))
    return suggestions[:limit]
