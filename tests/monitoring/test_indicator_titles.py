"""Two indicators of one program with one title are told apart by their source everywhere:
one rule on the model (`Indicator.display_title`) that pages, forms and reports read."""

import pytest
from django.urls import reverse

from monitoring.models import Indicator
from reports.kinds import KINDS
from tests import factories as f

pytestmark = pytest.mark.django_db

TITLE = "Качество знаний и успеваемость (%)"


@pytest.fixture
def twins(world):
    vpr = f.IndicatorFactory(program=world.program, code="1", title=TITLE, source="ВПР")
    term = f.IndicatorFactory(
        program=world.program, code="2", title=TITLE, source="промежуточная аттестация"
    )
    single = f.IndicatorFactory(
        program=world.program, code="3", title="Доля педагогов", source="ВСОКО"
    )
    # The same title in another program is no twin of these.
    other = f.IndicatorFactory(title="Доля педагогов", source="ВПР")
    return vpr, term, single, other


def test_a_shared_title_names_its_source_and_a_single_one_does_not(twins):
    vpr, term, single, other = (Indicator.objects.get(pk=i.pk) for i in twins)
    assert vpr.display_title == f"{TITLE} (ВПР)"
    assert term.display_title == f"{TITLE} (промежуточная аттестация)"
    assert single.display_title == "Доля педагогов"
    assert other.display_title == "Доля педагогов"
    assert str(vpr) == f"1. {TITLE} (ВПР)"


def test_the_rule_reads_the_same_through_a_related_row(twins, world):
    point = f.MonitoringPointFactory(program=world.program)
    measurement = f.MeasurementFactory(
        indicator=twins[0], point=point, organization=world.supported_school, value=50
    )
    fetched = type(measurement).objects.select_related("indicator").get(pk=measurement.pk)
    assert fetched.indicator.display_title == f"{TITLE} (ВПР)"


def test_a_programs_indicators_know_their_shared_titles_without_a_query_each(
    twins, world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        titles = [i.display_title for i in world.program.indicators.all()]
    assert titles == [f"{TITLE} (ВПР)", f"{TITLE} (промежуточная аттестация)", "Доля педагогов"]


def test_pages_and_reports_tell_the_twins_apart(twins, world, as_user):
    point = f.MonitoringPointFactory(program=world.program)
    entry = as_user(world.school).get(
        reverse("monitoring:entry", args=[point.pk, world.supported_school.pk])
    )
    page = entry.content.decode()
    assert f"{TITLE} (ВПР)" in page and f"{TITLE} (промежуточная аттестация)" in page
    program_page = as_user(world.coordinator).get(world.program.get_absolute_url())
    assert f"{TITLE} (ВПР)" in program_page.content.decode()
    passport = KINDS["passport"].build(world.program, world.coordinator)
    cells = {
        str(cell)
        for section in passport.sections
        for block in section.blocks
        for row in getattr(block, "rows", [])
        for cell in getattr(row, "values", [])
    }
    assert {f"{TITLE} (ВПР)", f"{TITLE} (промежуточная аттестация)"} <= cells
