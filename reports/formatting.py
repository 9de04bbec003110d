"""How a value of a report looks on the page and in the PDF, the Russian way."""

from datetime import date, datetime
from decimal import Decimal

DASH = "—"
# A no-break space groups thousands as Russian typography does: «12 345». (The narrower
# U+202F is not in PT Sans, and a PDF must not borrow glyphs from another font.)
THOUSANDS = "\u00a0"


def number(value, signed=False):
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if value == value.to_integral_value():
        text = f"{int(value):,}".replace(",", THOUSANDS)
    else:
        text = f"{value.normalize():,f}".replace(",", THOUSANDS).replace(".", ",")
    if signed and value > 0:
        text = "+" + text
    return text.replace("-", "−")


def display(value, kind="text"):
    """The text of one cell: numbers with a decimal comma, dates as 31.05.2023, «—» for none."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int | float | Decimal):
        return number(value, signed=kind == "change")
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def percent_text(value):
    """«28,6 %», or «—» when there is nothing to divide by."""
    return f"{display(value)} %" if value is not None else DASH
