"""Deleting many values — a point's, a school's — is a set of a few statements whatever their
number, and still writes what a delete of each would: a history row per value («-», who, why)
and the change marks that refresh the dashboards' figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.changes import versions
from monitoring.models import Measurement
from monitoring.services import delete_values
from tests import factories as f

pytestmark = pytest.mark.django_db


def values_of(world, schools):
    """Three indicators' values of `schools` new schools at one point of the world's program."""
    program = world.program
    point = f.MonitoringPointFactory(program=program)
    indicators = [f.IndicatorFactory(program=program) for _ in range(3)]
    for _ in range(schools):
        school = f.OrganizationFactory(municipality=world.municipality)
        for indicator in indicators:
            f.MeasurementFactory(indicator=indicator, point=point, organization=school)
    return point


def deleting(world, superuser, schools):
    point = values_of(world, schools)
    before = versions(world.program.pk)
    values = Measurement.objects.filter(point=point)
    with CaptureQueriesContext(connection) as captured:
        deleted = delete_values(values, superuser, reason="Точка введена ошибочно")
    assert deleted == schools * 3
    assert not Measurement.objects.filter(point=point).exists()
    history = Measurement.history.filter(point_id=point.pk, history_type="-")
    assert history.count() == schools * 3
    assert set(history.values_list("history_user", "history_change_reason")) == {
        (superuser.pk, "Точка введена ошибочно")
    }
    after = versions(world.program.pk)
    assert {kind for kind in after if after[kind] != before[kind]} == {
        "indicators",
        "completeness",
    }
    return len(captured)


def test_deleting_a_points_values_takes_the_same_statements_for_5_and_50_schools(world, superuser):
    assert deleting(world, superuser, 5) == deleting(world, superuser, 50)


def test_the_admin_deletes_selected_values_as_a_set(world, superuser, as_user):
    point = values_of(world, 4)
    kept = f.MeasurementFactory(
        indicator=f.IndicatorFactory(program=world.program), organization=world.supported_school
    )
    chosen = list(Measurement.objects.filter(point=point).values_list("pk", flat=True))
    response = as_user(superuser).post(
        reverse("admin:monitoring_measurement_changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Measurement.objects.filter(pk__in=chosen).exists()
    assert Measurement.objects.filter(pk=kept.pk).exists()
    assert Measurement.history.filter(history_type="-", id__in=chosen).count() == len(chosen)
