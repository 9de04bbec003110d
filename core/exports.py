"""One way to give any table of the portal as an Excel file.

Every list and dashboard table is a django-tables2 `Table`; `?_export=xlsx` on its page returns
the same rows (all of them, not one page) as .xlsx through tablib. List views take
`XlsxExportMixin`; pages with several tables call `xlsx_response(table, name)` for the one asked
for. Columns marked `exclude_from_export=True` (buttons, links) stay out of the file.

This module lives in `core`: every app may import it, and it imports no app.
"""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django_tables2.export import ExportMixin, TableExport

from .text import shorten

EXPORT_PARAM = "_export"
XLSX = TableExport.XLSX

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


def xlsx_response(table, name, exclude_columns=()):
    """The table's rows as an .xlsx attachment named «name.xlsx» (Cyrillic kept, RFC 6266)."""
    exporter = TableExport(
        XLSX,
        table,
        exclude_columns=exclude_columns,
        dataset_kwargs={"title": sheet_title(name)},
    )
    response = HttpResponse(exporter.export(), content_type=exporter.content_type())
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.xlsx"
    )
    return response


class XlsxExportMixin(ExportMixin):
    """For a `SingleTableMixin` view: `?_export=xlsx` gives the filtered table as .xlsx."""

    export_formats = (XLSX,)
    export_trigger_param = EXPORT_PARAM
    export_name = "Таблица"

    def create_export(self, export_format):
        table = self.get_table(**self.get_table_kwargs())
        return xlsx_response(table, self.export_name, self.exclude_columns)
