"""Small display helpers for the portal's templates: Russian plurals and durations."""

from datetime import timedelta

from django import template

from core import numbers, text, timezones

register = template.Library()


def plural_form(number, forms):
    """Pick «минута / минуты / минут» for `number`; `forms` is the three forms, comma-separated."""
    one, few, many = (f.strip() for f in forms.split(","))
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


@register.filter
def moment(value, zone=None):
    """`{{ event.starts_at|moment }}` → «15.03.2023 19:15», on the clock the page runs on (the
    program's inside `{% timezone %}`, else the person's); `|moment:zone_name` for another."""
    return timezones.moment(value, zone or None)


@register.simple_tag
def clock(zone=None):
    """`{% clock %}` → «время екатеринбургское, UTC+5»: the name of the clock the page's times are
    on (or of the zone named), never the IANA name."""
    return timezones.clock_label(zone or timezones.current_name())


@register.filter
def up_to(count, limit):
    """A count from `core.pagination.count_up_to`: the number, or «более N» past the limit."""
    if count > limit:
        return f"более {numbers.number_text(limit)}"
    return numbers.number_text(count)


@register.filter
def ru_plural(number, forms):
    """`{{ n|ru_plural:"школа,школы,школ" }}` → «5 школ»."""
    return f"{number} {plural_form(number, forms)}"


@register.filter
def duration_ru(value):
    """A timedelta in words, in the accusative that follows «на»: «15 минут», «1 час 30 минут»."""
    if not isinstance(value, timedelta):
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ru_plural(hours, "час,часа,часов"))
    if minutes or not parts:
        parts.append(ru_plural(minutes, "минуту,минуты,минут"))
    return " ".join(parts)


@register.filter
def shorten(value, limit):
    """`{{ name|shorten:60 }}`: the name in at most 60 characters, its quotes kept closed
    (`core.text.shorten`)."""
    return text.shorten(value, int(limit))


# Colours of status badges; the values of the portal's status choices do not clash.
STATUS_COLORS = {
    "planned": "secondary",
    "in_progress": "primary",
    "done": "success",
    "not_done": "danger",
    "cancelled": "dark",
    "draft": "secondary",
    "submitted": "info",
    "approved": "success",
    "returned": "warning",
    "needs_revision": "warning",
    "pending": "secondary",
}


@register.filter
def status_color(value):
    """Bootstrap colour name for a status value: `text-bg-{{ item.status|status_color }}`."""
    return STATUS_COLORS.get(str(value), "secondary")


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}` for dictionaries built by a view."""
    return mapping.get(key) if mapping else None


@register.filter
def person(user):
    """A user as people name them: full name, else login; «—» for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@register.filter
def unit_value(value, unit):
    """An indicator's value as read: «18,5 %», «12», «да»; «—» when nothing is entered."""
    return numbers.value_text(value, unit)


@register.filter
def target_value(target, unit=""):
    """A target as read: «не менее 60,5 %» (its value written as every value is)."""
    if not target:
        return "—"
    return numbers.target_text(target.get_comparison_display(), target.value, unit)


@register.filter(name="number")
def number_filter(value):
    """A number as read: «12 345,5»; «—» for none."""
    return numbers.number_text(value)


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    """The current URL with `param` set to the page number and every other parameter kept."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
