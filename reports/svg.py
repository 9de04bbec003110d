"""Charts for reports: the pygal SVG of monitoring/charts.py without what only a pointer uses
(tooltip texts, hover and transition styles, legend anchors). The picture stays the same on the
page and in the PDF, and WeasyPrint draws a chart in about half the time."""

import re

# Tooltips: the values under the pointer and the titles of guides.
_DESC = re.compile(r"<desc\b[^>]*>.*?</desc>|<title>[^<]*</title>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Legend anchors repeat in every chart of a report; an id may appear only once in a document.
_IDS = re.compile(r' id="activate-serie-\d+"')
_STYLE = re.compile(r'(<style type="text/css">)(.*?)(</style>)', re.DOTALL)
_RULE = re.compile(r"[^{}]+\{[^{}]*\}")
# Rules about pointing, and about kinds of chart the reports do not draw.
_INTERACTIVE = (
    ":hover",
    "tooltip",
    "transition",
    ".active",
    "map-element",
    "gauge",
    "no_data",
    "showable",
    "bg-lines",
    ".ci",
    ".bound",
    "max-value",
    ".y2",
    "subtle-fill",
    "negative",
)
# Guides a shade lighter than pygal's black, so that the lines of the data stand out on paper.
_GUIDES = "{id} .axis .guide.line{{stroke:#adb5bd}}{id} .axis .major.guide.line{{stroke:#6c757d}}"
_CHART_ID = re.compile(r'<svg[^>]*\bid="([^"]+)"')


def _styles(match, chart_id):
    rules = [r for r in _RULE.findall(match.group(2)) if not any(w in r for w in _INTERACTIVE)]
    if chart_id:
        rules.append(_GUIDES.format(id=f"#{chart_id}"))
    return match.group(1) + "".join(rules) + match.group(3)


def printable(svg):
    found = _CHART_ID.search(svg)
    chart_id = found.group(1) if found else None
    svg = _DESC.sub("", svg)
    svg = _COMMENT.sub("", svg)
    svg = _IDS.sub("", svg)
    return _STYLE.sub(lambda m: _styles(m, chart_id), svg, count=1)
