"""Charts drawn on the server as SVG with pygal, so that the page and the PDF report show the
same picture and no JavaScript is needed to see it."""

import hashlib
import re
import textwrap
from decimal import Decimal
from html import escape, unescape

import pygal
from django.core.cache import cache
from pygal.style import Style

from core.numbers import number_text

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


def _value_formatter(unit):
    """Values and axis steps written as every page writes numbers: «78,4 %», never «78.4 %»."""
    suffix = f" {unit}" if unit else ""
    return lambda v: f"{number_text(v)}{suffix}"


# An x label is wrapped into lines of about this many characters per 100 px of its slot (12 px
# PT Sans), at most X_LABEL_LINES lines; pygal itself would cut it («Мониторинг дє»).
CHARS_PER_100_PX = 15
X_LABEL_LINES = 3
LINE_HEIGHT = 14
_X_LABEL = re.compile(r'(<g class="axis x[^"]*">)(.*?)(</g></g>)', re.DOTALL)
_LABEL = re.compile(r'<text x="([\d.]+)" y="([\d.]+)" class="">([^<]*)</text>')


def _wrapped_lines(label, width):
    """The label in lines that fit `width` px, the last one shortened with «…» if it is still
    longer; the full label stays in the SVG's <title> and in the table beside every chart."""
    chars = max(6, int(width * CHARS_PER_100_PX / 100))
    lines = textwrap.wrap(label, chars, break_long_words=True) or [""]
    if len(lines) > X_LABEL_LINES:
        lines = lines[: X_LABEL_LINES - 1] + [
            textwrap.shorten(" ".join(lines[X_LABEL_LINES - 1 :]), chars, placeholder="…")
        ]
    return lines


def _wrap_x_labels(svg, labels, plot_width):
    """Write each x label of a chart on up to three lines under its point, instead of pygal's
    single cut line."""
    if not labels:
        return svg
    slot = plot_width / max(len(labels), 1)

    def label(match):
        x, y, full = match.group(1), match.group(2), unescape(match.group(3))
        lines = _wrapped_lines(full, slot)
        spans = "".join(
            f'<tspan x="{x}" dy="{0 if i == 0 else LINE_HEIGHT}">{escape(line, quote=False)}</tspan>'
            for i, line in enumerate(lines)
        )
        return f'<text x="{x}" y="{y}" class="">{spans}</text><title>{escape(full)}</title>'

    return _X_LABEL.sub(
        lambda m: m.group(1) + _LABEL.sub(label, m.group(2)) + m.group(3), svg, count=1
    )


def _taller(svg, width, height, extra):
    """The chart `extra` px taller, the legend moved down by as much, so that labels wrapped
    on several lines keep clear of it."""
    if not extra:
        return svg
    svg = svg.replace(
        f'viewBox="0 0 {width} {height}"', f'viewBox="0 0 {width} {height + extra}"', 1
    )
    svg = svg.replace(
        f'<rect x="0" y="0" width="{width}" height="{height}" class="background"/>',
        f'<rect x="0" y="0" width="{width}" height="{height + extra}" class="background"/>',
        1,
    )
    return re.sub(
        r'<g transform="translate\((\d+(?:\.\d+)?), (\d+(?:\.\d+)?)\)" class="legends">',
        lambda m: (
            f'<g transform="translate({m.group(1)}, {float(m.group(2)) + extra:g})" class="legends">'
        ),
        svg,
        count=1,
    )


def _label_lines(labels, plot_width):
    slot = plot_width / max(len(labels), 1)
    return max((len(_wrapped_lines(str(label), slot)) for label in labels), default=1)


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
    labels = [str(label) for label in labels]
    # Room under the plot for labels wrapped on several lines.
    extra = (_label_lines(labels, width * 0.85) - 1) * LINE_HEIGHT
    chart = pygal.Line(
        title=title or None,
        truncate_label=-1,
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
        value_formatter=_value_formatter(unit),
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(str(name), [_number(v) for v in values])
    if with_plan:
        chart.add("План", [_number(v) for v in target], stroke_style=PLAN_STROKE, dots_size=3)
    svg = _wrap_x_labels(_static(chart.render(is_unicode=True)), labels, width * 0.85)
    return _taller(svg, width, height, extra)


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
        value_formatter=_value_formatter(unit),
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
