"""One number format for values and targets: pages (filters), reports and Excel text cells all
write «не менее 60,5 %» the same way, through core.numbers."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from core.numbers import number_text, target_text, value_text
from monitoring.models import Target
from reports.common import target_text as report_target_text
from reports.formatting import display
from tests import factories as f


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("60.50"), "60,5"),
        (Decimal("60.00"), "60"),
        (12345, "12\u00a0345"),
        (Decimal("-3.255"), "−3,26"),
        (2 / 3 * 100, "66,67"),
        (None, "—"),
    ],
)
def test_a_number_has_a_decimal_comma_grouped_thousands_and_no_trailing_zeros(value, text):
    assert number_text(value) == text


def test_a_value_carries_its_unit():
    assert value_text(Decimal("18.50"), "percent") == "18,5 %"
    assert value_text(Decimal("4"), "count") == "4"
    assert value_text(Decimal("1"), "yes_no") == "да"
    assert value_text(None, "percent") == "—"


def test_a_target_reads_as_the_orders_write_it():
    assert target_text("не менее", Decimal("60.50"), "percent") == "не менее 60,5 %"


@pytest.mark.django_db
def test_pages_reports_and_targets_write_a_target_the_same_way():
    target = f.TargetFactory.build(value=Decimal("60.50"), comparison=Target.Comparison.GE, text="")
    page = Template("{% load portal %}{{ target|target_value:'percent' }}").render(
        Context({"target": target})
    )
    assert page == "не менее 60,5 %"
    assert report_target_text(target, "percent") == page
    assert str(target) == "не менее 60,5"
    assert display(Decimal("60.50")) == "60,5"
    # The order's own wording stays the target's name where it has one.
    target.text = "у всех пар"
    assert str(target) == "у всех пар"
