"""One way to give any table of the portal as an Excel file.

Every list and dashboard table is a django-tables2 `Table`; `?_export=xlsx` on its page returns
the same rows (all of them, not one page) as .xlsx through tablib. List pages get it from
`core.lists.ListPage`; pages with several tables call `xlsx_response(table, name)` for the one
asked for. Columns marked `exclude_from_export=True` (buttons, links) stay out of the file.

Every .xlsx the portal writes — these tables, the reports, the import templates — is saved by
`workbook_bytes`, which stores every piece of text as text: a school name or a comment that
begins with «=», «+», «-», «@», a tab or a carriage return is never a formula in the file
(openpyxl would otherwise write «=…» as one, and Excel would run it).

This module lives in `core`: every app may import it, and it imports no app.
"""

import io
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django_tables2.export import TableExport

from .text import shorten

EXPORT_PARAM = "_export"
XLSX = TableExport.XLSX
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel refuses sheet titles longer than 31 characters or with any of []:*?/\
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")


SHEET_LIMIT = 31


def sheet_title(name, taken=None):
    """A sheet name Excel accepts and a person can read: no []:*?/\\, at most 31 characters,
    shortened at a word with «…» rather than cut mid-word, and — given the names `taken` so
    far in the workbook (a set, updated) — unique, with « (2)», « (3)»… where two would clash."""
    base = " ".join(_SHEET_UNSAFE.sub(" ", str(name)).split()) or "Лист"
    name, n = shorten(base, SHEET_LIMIT), 2
    while taken is not None and name.casefold() in taken:
        suffix = f" ({n})"
        name = shorten(base, SHEET_LIMIT - len(suffix)) + suffix
        n += 1
    if taken is not None:
        taken.add(name.casefold())
    return name


def wants_xlsx(request):
    return request.GET.get(EXPORT_PARAM) == XLSX


# What makes Excel (or LibreOffice, on editing the cell) take text for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(cell):
    """Keep the text in an openpyxl cell as text: never a formula, and marked with Excel's
    quote prefix when it begins like one, so that editing the cell does not turn it into one."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def workbook_bytes(book):
    """The workbook as .xlsx bytes, every text cell stored as text (`as_text`). The portal
    writes no formulas of its own, so every cell is text, a number or a date."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_workbook(table, name, exclude_columns=()):
    """The table's rows (django-tables2's export values) on one sheet, headers bold and
    frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    dataset = TableExport(XLSX, table, exclude_columns=exclude_columns).dataset
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(name)
    if dataset.headers:
        sheet.append([str(h) for h in dataset.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for row in dataset:
        sheet.append([_cell_value(v) for v in row])
    return book


def _cell_value(value):
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def xlsx_response(table, name, exclude_columns=()):
    """The table's rows as an .xlsx attachment named «name.xlsx» (Cyrillic kept, RFC 6266)."""
    response = HttpResponse(
        workbook_bytes(table_workbook(table, name, exclude_columns)),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.xlsx"
    )
    return response
