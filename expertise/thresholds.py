"""The share of participants whose documents passed expertise, per kind of document and per
territory, against the order's threshold («не менее чем у 80 % ОО-участников Проекта
концептуальные документы соответствуют параметрам экспертизы»).

A participant's documents of a kind passed expertise when the school has at least one document
of that kind in the program and every one of them is «одобрен» (the status the sheets settle,
`services.consolidate`, or a coordinator's decision). For «концептуальные документы» (no kind)
the same holds over the development concept, the medium-term program and the anti-risk
programs together. A school with no document of the kind has not passed.

`pass_shares` costs three queries whatever the number of schools; its rows carry the schools
counted and not counted, with their documents, so that every figure can be traced.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from programs.models import Document

from .models import CONCEPT_KINDS, PassThreshold

ALL_CONCEPT = ""


@dataclass
class SchoolRow:
    pk: int
    name: str
    municipality: str
    documents: list = field(default_factory=list)

    # Asked by every count, share and list of its kind's row: worked out once.
    @cached_property
    def passed(self):
        return bool(self.documents) and all(
            d["status"] == Document.Status.APPROVED for d in self.documents
        )

    @property
    def reason(self):
        if not self.documents:
            return "документ не представлен"
        if self.passed:
            return "экспертиза пройдена"
        waiting = [d["status_display"] for d in self.documents if d["status"] != "approved"]
        return "не пройдена: " + ", ".join(sorted(set(waiting)))


@dataclass
class KindRow:
    """One kind of document (or all concept documents) over the schools of one territory."""

    kind: str
    label: str
    schools: list
    threshold: PassThreshold | None = None

    @property
    def total(self):
        return len(self.schools)

    @cached_property
    def passed(self):
        return sum(1 for s in self.schools if s.passed)

    @property
    def share(self):
        if not self.total:
            return None
        return (Decimal(self.passed) * 100 / self.total).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def met(self):
        if self.threshold is None or self.share is None:
            return None
        return self.share >= self.threshold.share

    @cached_property
    def counted(self):
        return [s for s in self.schools if s.passed]

    @cached_property
    def not_counted(self):
        return [s for s in self.schools if not s.passed]


def kind_label(kind):
    return Document.Kind(kind).label if kind else "концептуальные документы"


def pass_shares(program, schools, territories=True):
    """{"kinds": [KindRow], "territories": [(name, [KindRow])]} for the participants
    `schools` (a queryset of organizations) of `program`. The kinds shown are those with a
    threshold, then every concept kind that has documents. The territories are the schools'
    municipalities, or their regions when the schools lie in more than one region: a national
    program's table has a row per region, not hundreds of municipalities. `territories=False`
    leaves them out (an empty list) for a page that lists only the kinds' schools."""
    thresholds = {t.kind: t for t in PassThreshold.objects.filter(program=program)}
    school_rows = list(
        schools.order_by(
            "municipality__region__name", "municipality__name", "short_name"
        ).values_list("pk", "short_name", "municipality__name", "municipality__region__name")
    )
    several_regions = len({row[3] for row in school_rows}) > 1
    documents = defaultdict(list)
    present = set()
    for row in (
        Document.objects.filter(program=program, organization__in=schools, kind__in=CONCEPT_KINDS)
        .order_by("kind", "title")
        .values("pk", "title", "kind", "status", "organization_id")
    ):
        row["status_display"] = Document.Status(row["status"]).label
        documents[row["organization_id"]].append(row)
        present.add(row["kind"])
    kinds = list(thresholds)
    kinds += [k for k in CONCEPT_KINDS if k in present and k not in thresholds]
    if not kinds and present:
        kinds = [ALL_CONCEPT]

    def rows_for(members):
        result = []
        for kind in kinds:
            wanted = set(CONCEPT_KINDS) if kind == ALL_CONCEPT else {kind}
            result.append(
                KindRow(
                    kind=kind,
                    label=kind_label(kind),
                    threshold=thresholds.get(kind),
                    schools=[
                        SchoolRow(
                            pk,
                            name,
                            municipality or "",
                            [d for d in documents[pk] if d["kind"] in wanted],
                        )
                        for pk, name, municipality, _region in members
                    ],
                )
            )
        return result

    by_territory = defaultdict(list)
    for row in school_rows if territories else ():
        by_territory[(row[3] if several_regions else row[2]) or ""].append(row)
    return {
        "kinds": rows_for(school_rows),
        "territories": [(name, rows_for(members)) for name, members in by_territory.items()]
        if len(by_territory) > 1
        else [],
    }
