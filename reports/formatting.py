"""How a value of a report looks on the page and in the PDF, the Russian way."""

from datetime import date, datetime
from decimal import Decimal

from core import timezones
from core.numbers import DASH, THOUSANDS, number_text  # noqa: F401 (THOUSANDS for callers)


def number(value, signed=False):
    """A number as every page writes it (core.numbers), exact: a report rounds before."""
    return number_text(value, places=None, signed=signed)


def display(value, kind="text"):
    """The text of one cell: numbers with a decimal comma, dates as 31.05.2023, «—» for none."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int | float | Decimal):
        return number(value, signed=kind == "change")
    if isinstance(value, datetime):
        # A moment a report already put on the program's clock stays on it; any other is read
        # on the clock the request runs on.
        return timezones.moment(value, getattr(value.tzinfo, "key", None))
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def percent_text(value):
    """«28,6 %», or «—» when there is nothing to divide by."""
    return f"{display(value)} %" if value is not None else DASH
