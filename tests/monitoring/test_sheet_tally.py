"""The schools' tallies (`SheetTally`) kept by the database: whatever writes the values, the
indicators or the points — a save, `bulk_create`, a queryset's `update`, the import's set-based
writes, `delete_values`, a cascade — every tally equals the count of the school's sent sheet
values at its point (`MonitoringPoint.sent_sheet_values`, counted here by the ORM as the
reference), on SQLite and PostgreSQL alike; the triggers are there after every migration; and
the figures read from the tallies cost the same queries for 5 and 50 schools."""

import random
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from dashboards.figures import completeness
from dashboards.scope import WHOLE
from monitoring.imports import write_values
from monitoring.models import Indicator, Measurement, MonitoringPoint, SheetTally
from monitoring.services import delete_values
from programs.models import Participant
from tests import factories as f
from tests.test_constraints import installed_triggers

pytestmark = pytest.mark.django_db

MIGRATION = import_module("monitoring.migrations.0006_sheet_tally")
STATUSES = list(Measurement.Status.values)


def recount():
    """{(point id, school id): n} — each school's sent sheet values at each point, counted from
    the values by the rule the tallies stand for."""
    counted = {}
    for point in MonitoringPoint.objects.all():
        rows = point.sent_sheet_values().order_by().values("organization").annotate(n=Count("pk"))
        for row in rows:
            counted[point.pk, row["organization"]] = row["n"]
    return counted


def tallies():
    """The tallies as {(point id, school id): sent}, those at zero left out."""
    rows = list(SheetTally.objects.values_list("point", "organization", "sent"))
    assert all(sent >= 0 for *_, sent in rows)
    return {(point, school): sent for point, school, sent in rows if sent}


def test_the_triggers_are_there_after_all_migrations():
    """SQLite drops a table's triggers when a migration rebuilds it: a later migration that
    alters the values, the indicators or the points must write them again."""
    expected = MIGRATION.TRIGGERS[connection.vendor]
    assert len(expected) == 5
    assert set(expected) <= installed_triggers()


# The world of the sequence: two programs, each with points and indicators of every kind, and
# schools of their own that may be deleted.


class Sequence:
    """Random writes of every kind over two programs, the tallies compared with the reference
    after each."""

    def __init__(self, world, seed):
        self.rng = random.Random(seed)
        self.user = world.coordinator
        self.municipality = world.municipality
        self.programs = [world.program, f.ProgramFactory(owner=world.authority)]
        self.dates = iter(range(1, 1000))
        self.codes = iter(range(1, 1000))
        for program in self.programs:
            for _ in range(2):
                self.new_point(program)
            for _ in range(3):
                self.new_indicator(program)
            # Entered for the program as a whole, and computed: never on a sheet.
            self.new_indicator(program, level=Indicator.Level.PROGRAM)
            self.new_indicator(program, method=Indicator.Method.ITEMS_DONE_SHARE)
        self.schools = [self.new_school() for _ in range(5)]
        self.done, self.counted = [], []

    def new_point(self, program):
        day = next(self.dates)
        return f.MonitoringPointFactory(
            program=program, date=program.starts_on + timezone.timedelta(days=day)
        )

    def new_indicator(self, program, **fields):
        return f.IndicatorFactory(program=program, code=str(next(self.codes)), **fields)

    def new_school(self):
        return f.OrganizationFactory(municipality=self.municipality)

    # What may be picked ------------------------------------------------------------------

    def points(self):
        return list(MonitoringPoint.objects.order_by("pk"))

    def indicators(self):
        return list(Indicator.objects.order_by("pk"))

    def values(self):
        return list(Measurement.objects.order_by("pk"))

    def place(self):
        """A point, an indicator (mostly of the point's program) and a school (now and then
        none: a program-wide value), where no value is yet; None if the pick is taken."""
        point = self.rng.choice(self.points())
        indicators = self.indicators()
        same = [i for i in indicators if i.program_id == point.program_id]
        indicator = self.rng.choice(same if same and self.rng.random() < 0.9 else indicators)
        school = self.rng.choice(self.schools) if self.rng.random() < 0.92 else None
        taken = Measurement.objects.filter(indicator=indicator, point=point, organization=school)
        return None if taken.exists() else (point, indicator, school)

    def status(self):
        """A status, sent ones twice as likely: the table fills up as the sequence runs."""
        return self.rng.choices(
            STATUSES, [1 if s not in Measurement.SENT else 2 for s in STATUSES]
        )[0]

    def value_for(self, status):
        if status == Measurement.Status.APPROVED or self.rng.random() < 0.8:
            return Decimal(self.rng.randint(0, 100))
        return None

    def new_value(self, point, indicator, school, status):
        return Measurement(
            point=point,
            indicator=indicator,
            organization=school,
            status=status,
            value=self.value_for(status),
        )

    # The writes ---------------------------------------------------------------------------

    def save_new(self):
        place = self.place()
        if place:
            self.new_value(*place, self.status()).save()

    def save_status(self):
        values = self.values()
        if values:
            value = self.rng.choice(values)
            value.status = self.status()
            if value.value is None:
                value.value = Decimal(1)
            value.save()

    def update_statuses(self):
        """A queryset's `update` of a point's, a school's or an indicator's values."""
        field, choices = self.rng.choice(
            [
                ("point", self.points()),
                ("organization", self.schools),
                ("indicator", self.indicators()),
            ]
        )
        chosen = Measurement.objects.filter(**{field: self.rng.choice(choices)})
        status = self.status()
        if status == Measurement.Status.APPROVED:
            chosen = chosen.filter(value__isnull=False)
        chosen.update(status=status)

    def approve_or_return(self):
        chosen = Measurement.objects.filter(point=self.rng.choice(self.points()))
        if self.rng.random() < 0.5:
            chosen.approve_all(self.user)
        else:
            chosen.return_all("Проверьте значения.")

    def move_value(self):
        """A value moved to another school, point or indicator by an update of its key."""
        values, place = self.values(), self.place()
        if values and place:
            point, indicator, school = place
            field, to = self.rng.choice(
                [("point", point), ("indicator", indicator), ("organization", school)]
            )
            value = self.rng.choice(values)
            mine = {
                "point": value.point,
                "indicator": value.indicator,
                "organization": value.organization,
            }
            if Measurement.objects.filter(**{**mine, field: to}).exists():
                return
            Measurement.objects.filter(pk=value.pk).update(**{field: to})

    def bulk_create(self):
        places = {self.place() for _ in range(self.rng.randint(1, 12))} - {None}
        Measurement.objects.bulk_create(self.new_value(*place, self.status()) for place in places)

    def delete_one(self):
        values = self.values()
        if values:
            self.rng.choice(values).delete()

    def delete_queryset(self):
        Measurement.objects.filter(
            point=self.rng.choice(self.points()), organization=self.rng.choice(self.schools)
        ).delete()

    def delete_values(self):
        chosen = self.rng.choice(
            [
                Measurement.objects.filter(indicator=self.rng.choice(self.indicators())),
                Measurement.objects.filter(organization=self.rng.choice(self.schools)),
            ]
        )
        delete_values(chosen, self.user, reason="проверка")

    def import_values(self):
        """The values import's write (`write_values`): new values inserted and saved ones
        changed, each set in one statement, all of them submitted."""
        point = self.rng.choice(self.points())
        sheet = list(point.sheet_indicators())
        if not sheet:
            return
        creates, updates = [], []
        for school in self.rng.sample(self.schools, 3):
            for indicator in sheet:
                saved = Measurement.objects.filter(
                    point=point, indicator=indicator, organization=school
                ).first()
                new = Decimal(self.rng.randint(0, 100))
                if saved is None:
                    creates.append(SimpleNamespace(indicator=indicator, school=school, new=new))
                elif saved.status != Measurement.Status.APPROVED:
                    updates.append(SimpleNamespace(saved=saved, new=new))
        with transaction.atomic():
            write_values(point, creates, updates, self.user, timezone.now())

    def switch_indicator(self):
        """An indicator switched to computed (or to the program as a whole, or to the other
        program) and back, by a save or by an update."""
        indicator = self.rng.choice(self.indicators())
        field, other = self.rng.choice(
            [
                (
                    "method",
                    Indicator.Method.ITEMS_DONE_SHARE
                    if indicator.method == Indicator.Method.ENTERED
                    else Indicator.Method.ENTERED,
                ),
                (
                    "level",
                    Indicator.Level.PROGRAM
                    if indicator.level == Indicator.Level.SCHOOL
                    else Indicator.Level.SCHOOL,
                ),
                ("program", next(p for p in self.programs if p.pk != indicator.program_id)),
            ]
        )
        back = getattr(indicator, field)
        for to in (other, back):
            if self.rng.random() < 0.5:
                setattr(indicator, field, to)
                indicator.save()
            else:
                Indicator.objects.filter(pk=indicator.pk).update(**{field: to})
            self.check(f"switch_indicator {indicator.pk} {field}={to}")
            if self.rng.random() < 0.4:
                return  # left switched: later writes meet it so

    def move_point(self):
        point = self.rng.choice(self.points())
        point.program = next(p for p in self.programs if p.pk != point.program_id)
        point.save()

    def delete_point(self):
        """A point's values deleted, then the point (its tallies go by the cascade)."""
        point = self.rng.choice(self.points())
        delete_values(point.measurements.all(), self.user)
        program = point.program
        point.delete()
        self.new_point(program)

    def delete_school(self):
        school = self.rng.choice(self.schools)
        self.schools.remove(school)
        school.delete()
        self.schools.append(self.new_school())

    WRITES = {
        "save_new": 12,
        "save_status": 10,
        "update_statuses": 6,
        "approve_or_return": 3,
        "move_value": 4,
        "bulk_create": 6,
        "delete_one": 4,
        "delete_queryset": 2,
        "delete_values": 1,
        "import_values": 3,
        "switch_indicator": 3,
        "move_point": 1,
        "delete_point": 1,
        "delete_school": 1,
    }

    def check(self, step):
        self.done.append(step)
        counted = tallies()
        assert counted == recount(), "after: " + "; ".join(self.done[-5:])
        self.counted.append(sum(counted.values()))

    def run(self, steps):
        """Each kind of write once, in a random order, then `steps` more picked by weight."""
        names = list(self.WRITES)
        weights = [self.WRITES[name] for name in names]
        first = self.rng.sample(names, len(names))
        for n, name in enumerate(first + self.rng.choices(names, weights, k=steps)):
            getattr(self, name)()
            self.check(f"{n}: {name}")
        return self.done


@pytest.mark.parametrize("seed", [1, 2])
def test_every_tally_equals_the_recount_after_any_sequence_of_writes(world, seed):
    sequence = Sequence(world, seed)
    sequence.run(150)
    # Most of the way there were sent values to count, tens of them at times.
    assert sum(1 for n in sequence.counted if n) > len(sequence.counted) * 0.7
    assert max(sequence.counted) >= 15


def test_the_migrations_fill_counts_what_the_triggers_keep(world):
    sequence = Sequence(world, 3)
    sequence.run(40)
    kept = tallies()
    SheetTally.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in MIGRATION.FILL:
            cursor.execute(statement)
    assert tallies() == kept == recount()
    assert kept


def test_a_tally_cannot_go_below_zero(world):
    point = f.MonitoringPointFactory(program=world.program)
    tally = SheetTally.objects.create(point=point, organization=world.supported_school, sent=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        SheetTally.objects.filter(pk=tally.pk).update(sent=-1)


# The sheet's rule read from the tallies ------------------------------------------------------


def test_a_sheet_is_complete_when_every_indicator_of_it_is_sent(world):
    program = world.program
    point = f.MonitoringPointFactory(program=program)
    assert list(point.complete_schools()) == []  # no sheet: nobody is complete
    first, second = (f.IndicatorFactory(program=program, code=code) for code in ("1", "2"))
    f.IndicatorFactory(program=program, code="3", method=Indicator.Method.ITEMS_DONE_SHARE)
    done, half = world.supported_school, world.curator_school
    for indicator, status in ((first, "approved"), (second, "submitted")):
        f.MeasurementFactory(point=point, indicator=indicator, organization=done, status=status)
    f.MeasurementFactory(point=point, indicator=first, organization=half, status="submitted")
    f.MeasurementFactory(point=point, indicator=second, organization=half, status="returned")
    complete = set(point.complete_schools().values_list("organization", flat=True))
    assert complete == {done.pk}
    sending = set(point.sending_schools().values_list("organization", flat=True))
    assert sending == {done.pk, half.pk}
    assert point.complete_schools(expected=1).filter(organization=half).exists()
    assert list(point.complete_schools(expected=0)) == []


def grow(program, points, count):
    """`count` more supported schools, each with values at every point: every other school
    sends its whole sheet, the others all of it but one value. Returns the schools."""
    indicators = list(program.indicators.entered().of_schools())
    schools = []
    for n in range(count):
        school = f.OrganizationFactory()
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
        Measurement.objects.bulk_create(
            Measurement(
                point=point,
                indicator=indicator,
                organization=school,
                value=1,
                status=Measurement.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
            for point in points
            for indicator in (indicators if n % 2 else indicators[1:])
        )
        schools.append(school)
    return schools


def test_the_completeness_figures_cost_the_same_queries_for_5_and_50_schools(
    world, django_assert_num_queries
):
    program = world.program
    points = [f.MonitoringPointFactory(program=program) for _ in range(2)]
    for code in ("1", "2", "3"):
        f.IndicatorFactory(program=program, code=code)
    grown = grow(program, points, 4)  # and the world's supported school, with no values: 5
    # The sheet's indicators and the schools counted once, then one query per point.
    with django_assert_num_queries(4):
        few = completeness(program, WHOLE, points)
    grown += grow(program, points, 45)
    with django_assert_num_queries(4):
        many = completeness(program, WHOLE, points)
    for figures, schools in ((few, 5), (many, 50)):
        full = len(grown[: schools - 1]) // 2
        assert [
            (row["expected"], row["complete"], row["partial"], row["missing"])
            for row in figures["rows"]
        ] == [(schools, full, schools - 1 - full, 1)] * 2
