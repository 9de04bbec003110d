"""A practice card shows the adopters' indicator values before and after adoption beside the
program's average change between the same points."""

import datetime
from decimal import Decimal

import pytest

from expertise.evidence import practice_evidence
from expertise.models import Adoption, Practice
from monitoring.models import Indicator, MonitoringPoint

from .. import factories as f


@pytest.fixture
def measured(world):
    program = world.program
    indicator = f.IndicatorFactory(program=program, code="1", title="Доля «4» и «5» по математике")
    falling = f.IndicatorFactory(
        program=program, code="2", title="Доля неуспевающих", direction=Indicator.Direction.DOWN
    )
    may, october, december = (
        f.MonitoringPointFactory(program=program, date=day, kind=MonitoringPoint.Kind.INTERMEDIATE)
        for day in (
            datetime.date(2023, 5, 31),
            datetime.date(2023, 10, 31),
            datetime.date(2023, 12, 29),
        )
    )
    other = f.OrganizationFactory(municipality=world.municipality, short_name="СОШ без практики")
    values = {
        # school: (indicator 1 at May, October, December), (indicator 2 at May, December)
        world.supported_school: ((40, 45, 60), (20, 10)),
        other: ((50, 52, 54), (20, 18)),
    }
    for school, ((a, b, c), (d, e)) in values.items():
        for point, value in ((may, a), (october, b), (december, c)):
            f.MeasurementFactory(indicator=indicator, point=point, organization=school, value=value)
        f.MeasurementFactory(indicator=falling, point=may, organization=school, value=d)
        f.MeasurementFactory(indicator=falling, point=december, organization=school, value=e)
    practice = Practice.objects.create(
        title="Математический квест",
        author_school=world.curator_school,
        program=program,
        description="…",
        in_bank=True,
    )
    Adoption.objects.create(
        practice=practice, school=world.supported_school, adopted_on=datetime.date(2023, 6, 1)
    )
    return practice


def test_before_and_after_beside_the_programs_average(world, measured):
    rows = {row.indicator.code: row for row in practice_evidence(measured, world.coordinator)}
    maths = rows["1"]
    (school,) = maths.schools
    # Before: May (the last point on or before 1 June); after: December (the last after it).
    assert (school.before, school.after, school.change) == (40, 60, 20)
    assert school.before_point.date == datetime.date(2023, 5, 31)
    # The program: (20 + 4) / 2 schools between May and December.
    assert (maths.average, maths.program_average, maths.program_schools) == (
        Decimal("20.0"),
        Decimal("12.0"),
        2,
    )
    assert maths.verdict == "лучше" and maths.difference == Decimal("8.0")
    # «Чем меньше, тем лучше»: the adopter fell by 10, the program by 6 on average — better.
    falling = rows["2"]
    assert (falling.average, falling.program_average, falling.verdict) == (
        Decimal("-10.0"),
        Decimal("-6.0"),
        "лучше",
    )


def test_only_values_the_user_sees(world, measured):
    assert practice_evidence(measured, world.outsider) == []


def test_the_card_shows_it(world, measured, as_user):
    text = as_user(world.coordinator).get(measured.get_absolute_url()).content.decode()
    assert "Средняя по программе (2 школ)" in text
    assert "+12" in text and "лучше, чем в среднем по программе" in text
