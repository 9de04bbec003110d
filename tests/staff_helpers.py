"""Helpers of the department staff's tests (set-up, events, dashboards, imports)."""

import io

from openpyxl import Workbook


def xlsx(rows):
    """An .xlsx file (bytes) whose first sheet holds `rows` (the first is the header)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
