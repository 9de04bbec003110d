"""Cells of the wrong type in the values import: each is named with its reason, never a server
error and never a saved value."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.imports import FIXED, indicator_header
from monitoring.models import Indicator, Measurement
from tests import factories as f
from tests.hostile import workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def columns(world):
    point = f.MonitoringPointFactory(program=world.program, title="Май")
    percent = f.IndicatorFactory(program=world.program, code="1", unit=Indicator.Unit.PERCENT)
    yes_no = f.IndicatorFactory(program=world.program, code="2", unit=Indicator.Unit.YES_NO)
    header = [c.header for c in FIXED] + [indicator_header(percent), indicator_header(yes_no)]
    return point, header


def preview(world, as_user, point, rows):
    return as_user(world.coordinator).post(
        reverse("monitoring:import_values", args=[world.program.pk]),
        {"point": point.pk, "file": SimpleUploadedFile("значения.xlsx", workbook(rows))},
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (True, "«ИСТИНА» — не число."),
        ("1e400", "Слишком большое число."),
        (1e300, "Слишком большое число."),
        ("NaN", "Значение должно быть числом."),
        (("e", "#DIV/0!"), "«#DIV/0!» — не число."),
    ],
)
def test_a_wrong_cell_in_a_percent_column_is_named(world, as_user, columns, cell, message):
    point, header = columns
    response = preview(
        world, as_user, point, [header, [world.supported_school.short_name, "", "", cell, "да"]]
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [e.message for e in plan.errors] == [message]
    assert response.context["token"] is None
    assert not Measurement.objects.exists()


def test_true_is_a_yes_in_a_yes_no_column(world, as_user, columns):
    point, header = columns
    response = preview(
        world, as_user, point, [header, [world.supported_school.short_name, "", "", 50, True]]
    )
    assert response.context["plan"].is_valid


def test_a_formula_cell_is_reported_as_a_formula(world, as_user, columns):
    point, header = columns
    response = preview(
        world,
        as_user,
        point,
        [header, [world.supported_school.short_name, "", "", ("=", "B2*2"), "да"]],
    )
    page = response.content.decode()
    assert "В ячейках D2 формулы" in page
    assert "Не заполнено" not in page
    assert not Measurement.objects.exists()
