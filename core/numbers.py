"""One way to write a number, a value and a target, on every page, PDF and Excel cell that
shows them as text: the Russian way, «12 345,5», «60,5 %», «не менее 60,5 %».

Templates use it through the `unit_value` and `target_value` filters (core/templatetags/portal),
reports through reports.formatting, dashboards and exports directly. Units are the indicator's
unit codes (`percent`, `count`, `score`, `yes_no`)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DASH = "—"
# A no-break space groups thousands as Russian typography does: «12 345». (The narrower
# U+202F is not in PT Sans, and a PDF must not borrow glyphs from another font.)
THOUSANDS = "\u00a0"
# Values are stored with up to four places; more than two on a page is noise.
PLACES = 2


def number_text(value, *, places=PLACES, signed=False):
    """«12 345», «60,5», «−3,25»: a decimal comma, grouped thousands, no trailing zeros,
    rounded half up to `places`; «+» before a positive change when `signed`."""
    if value is None or value == "":
        return DASH
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        text = f"{int(number):,}".replace(",", THOUSANDS)
    else:
        text = f"{number.normalize():,f}".replace(",", THOUSANDS).replace(".", ",")
    if signed and number > 0:
        text = "+" + text
    return text.replace("-", "−")


def value_text(value, unit="", *, places=PLACES):
    """An indicator's value as read: «18,5 %», «12», «да»; «—» when nothing is entered."""
    if value is None or value == "":
        return DASH
    if unit == "yes_no":
        return "да" if value else "нет"
    text = number_text(value, places=places)
    return f"{text} %" if unit == "percent" else text


def target_text(comparison, value, unit=""):
    """«не менее 60,5 %»: the comparison's words («не менее», «не более», «равно») and the value
    written as every value is."""
    if value is None or value == "":
        return DASH
    return f"{comparison} {value_text(value, unit)}"
