"""Charts drawn on the server as SVG with pygal, so that the page and the PDF report show the
same picture and no JavaScript is needed to see it."""

import hashlib
import re
from decimal import Decimal

import pygal
from django.core.cache import cache
from pygal.style import Style

FONT = "'PT Sans', 'DejaVu Sans', sans-serif"

COLORS = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#0dcaf0")
# The plan is drawn in a colour no series takes, thick and dashed, so it reads as the line to
# reach on screen and on a grey printout alike.
PLAN_COLOR = "#b02a37"
PLAN_STROKE = {"dasharray": "10, 6", "width": 3}
# A y axis of at most this many steps: «0 %, 20 %, 40 %…», never a label for every per cent.
Y_STEPS = 6


def _style(colors=COLORS):
    return Style(
        font_family=FONT,
        background="white",
        plot_background="white",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#6c757d",
        colors=colors,
        title_font_size=16,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=12,
        value_font_size=11,
    )


STYLE = _style()


NO_VALUES = "Значений для графика пока нет."


def has_values(*series):
    """Whether any of the series has a value to draw: a chart of nothing is replaced by a
    sentence where it would stand."""
    return any(v is not None for values in series for v in values)


# pygal inlines its configuration as a <script> even when no scripts are asked for.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _static(svg):
    return _SCRIPT.sub("", svg)


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal | int | float) else float(Decimal(value))


def dynamics_chart(title, labels, series, *, target=None, unit="", width=720, height=320):
    """A line chart of an indicator over the monitoring points.

    `labels` are the points (x axis); `series` maps a name (a school, or the program) to its
    values at those points, None where nothing was entered; `target` is the planned values at
    the same points, drawn as a thick dashed line of its own colour. `title` may be empty when
    the page shows the title beside the chart (reports do, so that a long title is never cut).
    Returns the SVG markup, ready to be inlined.
    """
    with_plan = target is not None and any(v is not None for v in target)
    colors = tuple(COLORS[i % len(COLORS)] for i in range(len(series)))
    if with_plan:
        colors += (PLAN_COLOR,)
    chart = pygal.Line(
        title=title or None,
        style=_style(colors),
        min_scale=3,
        max_scale=Y_STEPS,
        width=width,
        height=height,
        show_dots=True,
        dots_size=4,
        allow_interruptions=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_legend=60,
        x_label_rotation=0,
        disable_xml_declaration=True,
        # Static SVG: no pygal scripts, which neither a PDF nor a strict CSP would run.
        js=[],
        no_data_text="Нет данных",
        value_formatter=lambda v: f"{v:g}{(' ' + unit) if unit else ''}",
    )
    chart.x_labels = [str(label) for label in labels]
    for name, values in series.items():
        chart.add(str(name), [_number(v) for v in values])
    if with_plan:
        chart.add("План", [_number(v) for v in target], stroke_style=PLAN_STROKE, dots_size=3)
    return _static(chart.render(is_unicode=True))


def bar_chart(title, labels, values, *, unit="", width=720, height=320, max_value=None):
    """A horizontal bar chart, e.g. the share of items done per module."""
    chart = pygal.HorizontalBar(
        title=title or None,
        style=STYLE,
        width=width,
        height=max(height, 60 + 28 * len(labels)),
        show_legend=False,
        disable_xml_declaration=True,
        js=[],
        no_data_text="Нет данных",
        range=(0, max_value) if max_value else None,
        value_formatter=lambda v: f"{v:g}{(' ' + unit) if unit else ''}",
        truncate_label=60,
    )
    chart.x_labels = [str(label) for label in labels]
    chart.add("", [_number(v) for v in values])
    return _static(chart.render(is_unicode=True))


def cached(render, *args, **kwargs):
    """The chart `render(*args, **kwargs)` from Django's cache when the same data was drawn
    before: pygal takes tens of milliseconds per chart, and a dashboard draws many. The key is
    the data itself, so a changed value draws anew; nothing needs invalidating."""
    key = (
        "chart:"
        + hashlib.sha256(repr((render.__name__, args, sorted(kwargs.items()))).encode()).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = render(*args, **kwargs)
        cache.set(key, svg, 60 * 60)
    return svg
