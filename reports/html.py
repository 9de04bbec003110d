"""The report as HTML: the same body template (reports/_report.html) serves the page, inside the
portal's layout, and the PDF, inside a print document with the bundled font."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.shortcuts import render
from django.template.loader import render_to_string

from .document import Link, tone_of, value_of
from .formatting import display

FONT_FILES = {
    "regular": "fonts/PTSans-Regular.ttf",
    "bold": "fonts/PTSans-Bold.ttf",
    "italic": "fonts/PTSans-Italic.ttf",
}


@cache
def font_paths():
    """Absolute paths of the bundled PT Sans files, found the way static files are."""
    paths = {}
    for name, relative in FONT_FILES.items():
        found = finders.find(relative) or (Path(settings.BASE_DIR) / "static" / relative)
        paths[name] = Path(found).resolve()
    return paths


@dataclass
class PreparedRow:
    group: bool
    text: str = ""
    tone: str | None = None
    cells: list | None = None


@dataclass
class PreparedTable:
    """A table with every cell already turned into (text, css class): formatting once in Python
    keeps the template a plain loop."""

    table: object
    rows: list[PreparedRow]
    fixed: bool
    show_title: bool = True

    block = "table"


def _cell(cell, column):
    value = value_of(cell)
    classes = []
    if column.kind in ("number", "change") or (
        column.kind == "date" and value is not None and value != ""
    ):
        classes.append("num")
    tone = tone_of(cell)
    if tone:
        classes.append(f"tone-{tone}")
    href = value.url if isinstance(value, Link) else None
    return display(value, column.kind), " ".join(classes), href


@dataclass
class PreparedFacts:
    items: list[tuple[str, str]]

    block = "facts"


def prepare_table(table):
    rows = []
    columns = table.columns
    for row in table.rows:
        if row.is_group:
            rows.append(PreparedRow(group=True, text=row.text))
        else:
            cells = [_cell(cell, column) for cell, column in zip(row.cells, columns, strict=True)]
            rows.append(PreparedRow(group=False, tone=row.tone, cells=cells))
    return PreparedTable(table, rows, fixed=any(c.width for c in columns))


def _prepare_block(block, heading):
    if block.block == "table":
        prepared = prepare_table(block)
        prepared.show_title = block.title != heading
        return prepared
    if block.block == "facts":
        return PreparedFacts([(label, display(value)) for label, value in block.items])
    return block


def prepare(report):
    """The report's sections with their tables prepared for the template."""
    return [
        {
            "heading": section.heading,
            "blocks": [_prepare_block(block, section.heading) for block in section.blocks],
        }
        for section in report.sections
    ]


def _context(report, **extra):
    return {"report": report, "sections": prepare(report) if report else [], **extra}


def render_page(request, report, *, kind, subject, links, form=None, status=200, large=None):
    """The report inside the portal's layout; `report` is None when the period is wrong and
    only the form with its messages is shown, or when the report is `large` (its size and the
    bound) and only its files, made in the background, are offered."""
    return render(
        request,
        "reports/report_page.html",
        _context(report, kind=kind, subject=subject, links=links, form=form, large=large),
        status=status,
    )


def render_document(report):
    """The whole HTML document WeasyPrint lays out: fonts from files, print styles."""
    fonts = {name: path.as_uri() for name, path in font_paths().items()}
    return render_to_string("reports/report_pdf.html", _context(report, fonts=fonts))
