"""From risk to measure to indicator: for each school, every risk factor of its newest risk
profile assessed high or medium, the roadmap items and documents that address it, and the
indicators those items are tied to; with the flags of what is missing.

The flags, in the field's words:
- «высокий риск без мер» — a factor assessed high that no roadmap item addresses;
- «мера без показателя» — an item addressing an assessed factor that is tied to no indicator
  target, so nothing will show whether it worked;
- «нет антирисковой программы» — a factor assessed high with no anti-risk program of the school
  against it.

An item addresses a school's factor when it names the factor (`RoadmapItem.risk_factors`) and
belongs to the school's roadmap or its pair's, or names the school among those responsible.
`trace` takes the items and documents already narrowed by the caller (to what the user sees,
to one program), so the same rule serves the school page and the dashboard. It costs five
queries whatever the number of schools.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from programs.models import Document
from roadmaps.models import RoadmapItem
from schools.models import RiskLevel, RiskProfile

ASSESSED = (RiskLevel.Level.HIGH, RiskLevel.Level.MEDIUM)

HIGH_WITHOUT_MEASURE = "high_without_measure"
MEASURE_WITHOUT_INDICATOR = "measure_without_indicator"
HIGH_WITHOUT_ANTI_RISK = "high_without_anti_risk"
FLAG_LABELS = {
    HIGH_WITHOUT_MEASURE: "высокий риск без мер",
    MEASURE_WITHOUT_INDICATOR: "мера без показателя",
    HIGH_WITHOUT_ANTI_RISK: "нет антирисковой программы",
}


@dataclass
class FactorTrace:
    """One assessed factor of one school, with what addresses it."""

    factor: object
    level: str
    items: list = field(default_factory=list)
    documents: list = field(default_factory=list)

    @property
    def is_high(self):
        return self.level == RiskLevel.Level.HIGH

    @property
    def level_display(self):
        return RiskLevel.Level(self.level).label

    @property
    def indicators(self):
        seen, result = set(), []
        for item in self.items:
            if item["indicator_id"] and item["indicator_id"] not in seen:
                seen.add(item["indicator_id"])
                result.append(item)
        return result

    @property
    def items_without_indicator(self):
        return [item for item in self.items if item["indicator_id"] is None]

    @property
    def anti_risk_programs(self):
        return [d for d in self.documents if d["kind"] == Document.Kind.ANTI_RISK_PROGRAM]

    @property
    def flags(self):
        flags = []
        if self.is_high and not self.items:
            flags.append(HIGH_WITHOUT_MEASURE)
        if self.items_without_indicator:
            flags.append(MEASURE_WITHOUT_INDICATOR)
        if self.is_high and not self.anti_risk_programs:
            flags.append(HIGH_WITHOUT_ANTI_RISK)
        return flags

    @property
    def flag_labels(self):
        return [FLAG_LABELS[f] for f in self.flags]


@dataclass
class SchoolTrace:
    """A school's assessed factors, from its newest risk profile."""

    school_id: int
    profile_date: object = None
    factors: list = field(default_factory=list)

    def count(self, flag):
        """How many times the flag is raised: factors for the two risk flags, items for «мера
        без показателя» (an item addressing two factors counts once)."""
        if flag == MEASURE_WITHOUT_INDICATOR:
            return len({item["pk"] for f in self.factors for item in f.items_without_indicator})
        return sum(1 for f in self.factors if flag in f.flags)

    @property
    def flag_counts(self):
        return {flag: self.count(flag) for flag in FLAG_LABELS}

    @property
    def has_flags(self):
        return any(self.flag_counts.values())


def newest_profiles(school_ids, profiles=None):
    """Each school's newest submitted profile (among `profiles`, e.g. those the user sees): a
    draft is no profile yet, for traceability and for pairing alike."""
    profiles = (RiskProfile.objects.all() if profiles is None else profiles).submitted()
    newest = profiles.filter(school=OuterRef("school")).order_by("-assessed_on", "-pk")
    return profiles.filter(school__in=school_ids, pk=Subquery(newest.values("pk")[:1]))


def newest_levels(school_ids, profiles=None):
    """Levels high or medium of each school's newest profile: one query."""
    return (
        RiskLevel.objects.filter(
            profile__in=newest_profiles(school_ids, profiles), level__in=ASSESSED
        )
        .select_related("factor", "profile")
        .order_by("profile__school", "factor__order", "factor__code")
    )


def trace(school_ids, *, items, documents, profiles=None):
    """{school id: SchoolTrace} for the schools, from the given items and documents."""
    school_ids = list(school_ids)
    traces = {pk: SchoolTrace(pk) for pk in school_ids}
    by_school = defaultdict(dict)
    for level in newest_levels(school_ids, profiles):
        school_id = level.profile.school_id
        traces[school_id].profile_date = level.profile.assessed_on
        by_school[school_id][level.factor_id] = FactorTrace(level.factor, level.level)
    factor_ids = {fid for factors in by_school.values() for fid in factors}
    if factor_ids:
        _attach_items(by_school, school_ids, items, factor_ids)
        _attach_documents(by_school, school_ids, documents, factor_ids)
    for school_id, factors in by_school.items():
        traces[school_id].factors = list(factors.values())
    return traces


def _attach_items(by_school, school_ids, items, factor_ids):
    through = RoadmapItem.risk_factors.through.objects.filter(
        riskfactor_id__in=factor_ids, roadmapitem__in=items
    )
    rows = list(
        through.filter(
            Q(roadmapitem__roadmap__organization__in=school_ids)
            | Q(roadmapitem__roadmap__pair__supported_school__in=school_ids)
            | Q(roadmapitem__responsible__in=school_ids)
        )
        .values(
            "roadmapitem_id",
            "riskfactor_id",
            "roadmapitem__number",
            "roadmapitem__title",
            "roadmapitem__status",
            "roadmapitem__roadmap__organization_id",
            "roadmapitem__roadmap__pair__supported_school_id",
            "roadmapitem__target__indicator_id",
            "roadmapitem__target__indicator__code",
            "roadmapitem__target__indicator__title",
        )
        .distinct()
    )
    responsible = defaultdict(set)
    for item_id, school_id in RoadmapItem.responsible.through.objects.filter(
        item_id__in={row["roadmapitem_id"] for row in rows}, organization_id__in=school_ids
    ).values_list("item_id", "organization_id"):
        responsible[item_id].add(school_id)
    for row in rows:
        item_id = row["roadmapitem_id"]
        item = {
            "pk": item_id,
            "number": row["roadmapitem__number"],
            "title": row["roadmapitem__title"],
            "status": RoadmapItem.Status(row["roadmapitem__status"]).label,
            "indicator_id": row["roadmapitem__target__indicator_id"],
            "indicator_code": row["roadmapitem__target__indicator__code"],
            "indicator_title": row["roadmapitem__target__indicator__title"],
        }
        schools = responsible[item_id] | {
            row["roadmapitem__roadmap__organization_id"],
            row["roadmapitem__roadmap__pair__supported_school_id"],
        }
        for school_id in schools:
            factor = by_school.get(school_id, {}).get(row["riskfactor_id"])
            if factor is not None and all(i["pk"] != item_id for i in factor.items):
                factor.items.append(item)


def _attach_documents(by_school, school_ids, documents, factor_ids):
    for row in documents.filter(organization__in=school_ids, risk_factor__in=factor_ids).values(
        "pk", "title", "kind", "status", "organization_id", "risk_factor_id"
    ):
        factor = by_school.get(row["organization_id"], {}).get(row["risk_factor_id"])
        if factor is not None:
            row["status_display"] = Document.Status(row["status"]).label
            factor.documents.append(row)


def summary(traces):
    """Flags summed over schools: {flag: count}, schools with any flag, schools traced."""
    totals = dict.fromkeys(FLAG_LABELS, 0)
    flagged = 0
    for school_trace in traces.values():
        counts = school_trace.flag_counts
        for flag, count in counts.items():
            totals[flag] += count
        flagged += any(counts.values())
    return {
        "totals": [(FLAG_LABELS[flag], count) for flag, count in totals.items()],
        "by_flag": totals,
        "flagged": flagged,
        "schools": len(traces),
        "assessed": sum(1 for t in traces.values() if t.factors),
    }
