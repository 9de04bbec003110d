"""A program with three points (baseline, intermediate, final) and a percent indicator whose
target is set only at the final point (не менее 70 %), with schools whose values follow
trajectories written by hand."""

import datetime
from types import SimpleNamespace

import pytest

from monitoring.models import Measurement, MonitoringPoint
from programs.models import Participant
from tests import factories as f


def supported(world, name):
    school = f.OrganizationFactory(municipality=world.municipality, short_name=name)
    f.ParticipantFactory(
        program=world.program, organization=school, role=Participant.Role.SUPPORTED
    )
    return school


def approve(indicator, point, school, value):
    return f.MeasurementFactory(
        indicator=indicator,
        point=point,
        organization=school,
        value=value,
        status=Measurement.Status.APPROVED,
    )


@pytest.fixture
def trajectories(world):
    program = world.program
    points = [
        f.MonitoringPointFactory(program=program, title=title, date=datetime.date(*day), kind=kind)
        for title, day, kind in (
            ("Базовое значение", (2023, 1, 31), MonitoringPoint.Kind.BASELINE),
            ("Промежуточный срок", (2023, 5, 31), MonitoringPoint.Kind.INTERMEDIATE),
            ("Итоговый срок", (2023, 12, 29), MonitoringPoint.Kind.FINAL),
        )
    ]
    indicator = f.IndicatorFactory(program=program, code="1", title="Доля успевающих")
    f.TargetFactory(indicator=indicator, point=points[2], value=70)
    falling = world.supported_school
    rising = supported(world, "МБОУ «Растущая СОШ»")
    lonely = supported(world, "МБОУ «Новая СОШ»")
    for school, values in ((falling, (60, 50)), (rising, (65, 78)), (lonely, (55,))):
        for point, value in zip(points, values, strict=False):
            approve(indicator, point, school, value)
    return SimpleNamespace(
        points=points, indicator=indicator, falling=falling, rising=rising, lonely=lonely
    )
