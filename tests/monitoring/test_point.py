"""The monitoring point page: who has and who has not submitted their values; and the query
counts of the point page and the data-entry sheet, whatever the number of schools and
indicators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Indicator, Measurement
from programs.models import Participant
from tests import factories as f

pytestmark = pytest.mark.django_db


def rows_by_school(response):
    return {row["school"].short_name: row for row in response.context["rows"]}


def test_the_completeness_table_counts_each_schools_values(scene, world, as_user):
    side = scene.inside
    late_school = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Тундринская СОШ»"
    )
    f.ParticipantFactory(
        program=world.program, organization=late_school, role=Participant.Role.SUPPORTED
    )
    done_school = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Угутская СОШ»"
    )
    f.ParticipantFactory(
        program=world.program, organization=done_school, role=Participant.Role.SUPPORTED
    )
    for indicator in side.indicators:
        f.MeasurementFactory(
            indicator=indicator,
            point=side.point,
            organization=done_school,
            value=1,
            status=Measurement.Status.APPROVED,
        )
    response = as_user(world.coordinator).get(side.point.get_absolute_url())
    rows = rows_by_school(response)
    assert set(rows) == {"МБОУ «Русскинская СОШ»", "МБОУ «Тундринская СОШ»", "МБОУ «Угутская СОШ»"}
    assert (rows["МБОУ «Русскинская СОШ»"]["filled"], rows["МБОУ «Русскинская СОШ»"]["sent"]) == (
        1,
        1,
    )
    assert rows["МБОУ «Русскинская СОШ»"]["state"] == "заполняется"
    assert rows["МБОУ «Тундринская СОШ»"]["state"] == "не начато"
    assert rows["МБОУ «Угутская СОШ»"]["state"] == "утверждено"
    assert response.context["missing_count"] == 2

    missing = as_user(world.coordinator).get(side.point.get_absolute_url() + "?missing=1")
    assert set(rows_by_school(missing)) == {"МБОУ «Русскинская СОШ»", "МБОУ «Тундринская СОШ»"}
    assert "Тундринская" in missing.content.decode()


def test_each_person_sees_only_the_schools_they_may_see(scene, world, as_user):
    other = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Сытоминская СОШ»"
    )
    f.ParticipantFactory(program=world.program, organization=other, role=Participant.Role.SUPPORTED)
    url = scene.inside.point.get_absolute_url()
    assert set(rows_by_school(as_user(world.school).get(url))) == {"МБОУ «Русскинская СОШ»"}
    assert set(rows_by_school(as_user(world.curator).get(url))) == {"МБОУ «Русскинская СОШ»"}
    assert len(rows_by_school(as_user(world.coordinator).get(url))) == 2


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_schools(world, side, count):
    for _ in range(count):
        school = f.OrganizationFactory(municipality=world.municipality)
        f.ParticipantFactory(
            program=world.program, organization=school, role=Participant.Role.SUPPORTED
        )
        f.MeasurementFactory(indicator=side.percent, point=side.point, organization=school, value=5)


def test_the_point_page_makes_the_same_queries_for_5_and_50_schools(scene, world, as_user):
    side = scene.inside
    client = as_user(world.coordinator)
    add_schools(world, side, 4)
    few = count_queries(client, side.point.get_absolute_url())
    add_schools(world, side, 45)
    assert count_queries(client, side.point.get_absolute_url()) == few


def add_indicators(world, side, count):
    for n in range(count):
        unit = [Indicator.Unit.PERCENT, Indicator.Unit.COUNT, Indicator.Unit.YES_NO][n % 3]
        indicator = f.IndicatorFactory(program=world.program, unit=unit, order=10 + n)
        f.TargetFactory(indicator=indicator, point=side.point, value=1)
        f.MeasurementFactory(
            indicator=indicator,
            point=side.point,
            organization=side.school,
            value=1,
            status=Measurement.Status.SUBMITTED,
        )
        f.MeasurementFactory(
            indicator=indicator,
            point=side.baseline,
            organization=side.school,
            value=0,
        )


@pytest.mark.parametrize("person", ["school", "curator"])
def test_the_data_entry_sheet_makes_the_same_queries_for_5_and_50_indicators(
    scene, world, as_user, person
):
    side = scene.inside
    client = as_user(world.people[person])
    url = reverse("monitoring:entry", args=[side.point.pk, side.school.pk])
    add_indicators(world, side, 2)
    few = count_queries(client, url)
    add_indicators(world, side, 45)
    assert count_queries(client, url) == few


@pytest.mark.parametrize("level", Indicator.Level.values)
@pytest.mark.parametrize("method", [Indicator.Method.ENTERED, Indicator.Method.ITEMS_DONE_SHARE])
def test_an_indicator_says_whether_schools_enter_it_as_its_queryset_does(world, level, method):
    indicator = f.IndicatorFactory(program=world.program, level=level, method=method)
    entered_at_schools = Indicator.objects.entered().of_schools().filter(pk=indicator.pk).exists()
    assert indicator.is_entered_at_school is entered_at_schools
    assert entered_at_schools is (
        level == Indicator.Level.SCHOOL and method == Indicator.Method.ENTERED
    )
