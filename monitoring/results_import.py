"""Assessment results into indicators: a results table (`monitoring.results`) imported at a
monitoring point of a program. Each row's school is found by its code in the results tables
(`Organization.results_code`), else its ИНН, else — proposed only, for the person to confirm
— its name among the program's supported schools; each indicator «from assessment results»
takes its measure over its subjects and grades. The plan lists every computed value beside
the one it replaces, every row whose school is not found and every unreadable row; applying
it writes everything or nothing. Values enter approved, the person who confirms as approver
and the results as their source; an approved value is replaced only when the person ticks it."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.xlsx import normalize
from programs.models import Program
from schools.models import Organization

from .models import Indicator, Measurement
from .results import compute, select


@dataclass
class ResultValue:
    """One computed value of one school and indicator, beside the value it replaces."""

    indicator: Indicator
    school: Organization
    value: object
    old: Measurement | None
    matched_by: str  # code, inn or name

    @property
    def key(self):
        """What the preview's tick names: «indicator:school»."""
        return f"{self.indicator.pk}:{self.school.pk}"

    @property
    def action(self):
        if self.old is None:
            return "create"
        if self.old.value == self.value and self.old.status == Measurement.Status.APPROVED:
            return "same"
        if self.old.status == Measurement.Status.APPROVED:
            return "replace"  # only when ticked
        return "update"


@dataclass
class ResultsPlan:
    program: Program
    point: object
    filename: str
    values: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)  # ResultRow whose school is not found
    errors: list = field(default_factory=list)  # RowError of unreadable rows
    name_matches: dict = field(default_factory=dict)  # school → the rows' code, to confirm
    indicators: list = field(default_factory=list)

    def to_write(self, replace=(), accept=None):
        """The values confirming writes: new and changed ones, and approved ones ticked. A
        school found by its name only is proposed: with `accept` (the ids of the schools whose
        match the person ticked) the values of the others are left out; None accepts all, as
        the command line does after its dry run."""
        return [
            v
            for v in self.values
            if (v.action in ("create", "update") or (v.action == "replace" and v.key in replace))
            and (accept is None or v.matched_by != "name" or v.school.pk in accept)
        ]

    @property
    def name_matched(self):
        """The schools found by their name only: their match waits for the person's tick."""
        return list({v.school: None for v in self.values if v.matched_by == "name"})


class _Schools:
    """The program's supported schools the person sees, by code, ИНН and name."""

    def __init__(self, program, user):
        schools = program.supported_schools()
        if user is not None:
            schools = schools.filter(pk__in=Organization.objects.visible_to(user).values("pk"))
        schools = list(schools)
        self.by_code = {normalize(s.results_code): s for s in schools if s.results_code}
        self.by_inn = {s.inn: s for s in schools if s.inn}
        self.by_name = {}
        for school in schools:
            for name in (school.short_name, school.name):
                self.by_name.setdefault(normalize(name), school)

    def find(self, row):
        if row.code and (school := self.by_code.get(normalize(row.code))):
            return school, "code"
        if row.inn and (school := self.by_inn.get(row.inn)):
            return school, "inn"
        if row.name and (school := self.by_name.get(normalize(row.name))):
            return school, "name"
        return None, None


def plan_results(table, *, program, point, user=None, filename=""):
    """What importing `table` (a `ResultsTable`) at `point` would write; writes nothing."""
    plan = ResultsPlan(program=program, point=point, filename=filename, errors=table.errors)
    plan.indicators = list(
        program.indicators.exclude(assessment="").filter(level=Indicator.Level.SCHOOL)
    )
    schools = _Schools(program, user)
    rows_of = {}
    how_of = {}
    for row in table.rows:
        school, how = schools.find(row)
        if school is None:
            plan.unmatched.append(row)
            continue
        rows_of.setdefault(school.pk, (school, []))[1].append(row)
        # A school named by its code once counts as matched by code.
        how_of[school.pk] = min(how_of.get(school.pk, how), how, key=("code", "inn", "name").index)
        if how == "name" and row.code and not school.results_code:
            plan.name_matches[school] = row.code
    existing = {
        (m.indicator_id, m.organization_id): m
        for m in Measurement.objects.filter(
            point=point, indicator__in=plan.indicators, organization__in=list(rows_of)
        )
    }
    for school, rows in rows_of.values():
        for indicator in plan.indicators:
            value = compute(select(rows, indicator.subjects, indicator.grades), indicator.measure)
            if value is None:
                continue
            plan.values.append(
                ResultValue(
                    indicator=indicator,
                    school=school,
                    value=value,
                    old=existing.get((indicator.pk, school.pk)),
                    matched_by=how_of[school.pk],
                )
            )
    plan.values.sort(key=lambda v: (v.school.short_name, v.indicator.order, v.indicator.code))
    return plan


@transaction.atomic
def apply_results(plan, user, *, replace=(), accept=None):
    """Write the plan's values as approved, entered by the import and approved by `user` (None
    from a script) — the one case a value is approved without being sent for approval: the
    confirmation of the preview is the check. History keeps the value replaced. Name matches confirmed here give
    their schools the code of the results tables. All or nothing: a value the person may not
    approve leaves nothing written. Returns how many values were written."""
    if user is not None and not Program.objects.editable_by(user).contains(plan.program):
        raise PermissionDenied("Загружать результаты могут координаторы программы.")
    now = timezone.now()
    written = []
    for change in plan.to_write(replace, accept):
        measurement = change.old or Measurement(
            indicator=change.indicator, point=plan.point, organization=change.school
        )
        measurement.value = change.value
        measurement.status = Measurement.Status.APPROVED
        # Entered by the import from the results table, not by a person: the one who
        # confirms is its approver.
        measurement.entered_by = None
        measurement.submitted_at = now
        measurement.approved_by = user
        measurement.approved_at = now
        measurement.review_comment = ""
        measurement.source = Measurement.Source.RESULTS
        measurement.source_detail = f"{change.indicator.get_assessment_display()}: {plan.filename}"[
            :300
        ]
        measurement.save()
        written.append(measurement.pk)
    for school, code in plan.name_matches.items():
        if accept is not None and school.pk not in accept:
            continue
        # A code another school of the region already holds stays with it (unique in region).
        if not Organization.objects.filter(region=school.region_id, results_code=code).exists():
            Organization.objects.filter(pk=school.pk, results_code="").update(results_code=code)
    if user is not None:
        allowed = Measurement.objects.approvable_by(user).filter(pk__in=written).count()
        if allowed != len(written):
            raise PermissionDenied("Среди значений есть школы, чьи значения вы не утверждаете.")
    return len(written)
