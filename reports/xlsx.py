"""The report as an Excel workbook: a «Сводка» sheet with the title, facts and paragraphs, then
one sheet per table with the same columns and rows as the page (group rows merged across)."""

from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exports import sheet_title, workbook_bytes

from .document import Link, tone_of, value_of

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
MUTED = Font(color="666666")
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
GROUP_FILL = PatternFill("solid", fgColor="F3F4F6")
TONES = {
    "bad": Font(color="B02A37"),
    "good": Font(color="146C43"),
    "warn": Font(color="9A5B00"),
}
WRAP = Alignment(wrap_text=True, vertical="top")
# Rows above a table's header on its sheet: the report's title, its subtitle, the table's title.
HEADER_ROW = 5


def excel_value(value):
    """What a cell holds in the workbook: numbers as numbers, dates as dates, the rest as text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | date | str):
        return value
    return str(value)


def _number_format(column, value):
    """Excel's format for a cell, or None for General; `column` is None outside tables."""
    if isinstance(value, datetime):
        return "DD.MM.YYYY HH:MM"
    if isinstance(value, date):
        return "DD.MM.YYYY"
    if column is not None and column.kind == "change" and isinstance(value, int | float):
        return "+0.##;-0.##;0"
    return None


def _write_summary(sheet, report):
    sheet.append([report.title])
    sheet["A1"].font = TITLE
    sheet.append([report.subtitle])
    sheet.append([" · ".join(filter(None, [report.running_title, report.running_subtitle]))])
    sheet.append([f"Сформирован {report.made_text}"])
    sheet["A4"].font = MUTED
    for section in report.sections:
        texts = [b for b in section.blocks if b.block in ("paragraph", "facts")]
        if not texts:
            continue
        sheet.append([])
        sheet.append([section.heading])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for block in texts:
            if block.block == "paragraph":
                sheet.append([block.text])
            else:
                for label, value in block.items:
                    sheet.append([label, excel_value(value)])
                    number_format = _number_format(None, value)
                    if number_format:
                        sheet.cell(sheet.max_row, 2).number_format = number_format
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 50


def _write_table(sheet, report, table):
    sheet.append([report.title])
    sheet["A1"].font = BOLD
    sheet.append([report.subtitle])
    sheet.append([table.title])
    sheet["A3"].font = BOLD
    width = len(table.columns)
    if table.column_groups:
        start = 1
        for title, span in table.column_groups:
            cell = sheet.cell(HEADER_ROW - 1, start, title)
            cell.font, cell.fill = BOLD, HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
            if span > 1:
                sheet.merge_cells(
                    start_row=HEADER_ROW - 1,
                    start_column=start,
                    end_row=HEADER_ROW - 1,
                    end_column=start + span - 1,
                )
            start += span
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(HEADER_ROW, index, column.title)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column)
    row_number = HEADER_ROW
    for row in table.rows:
        row_number += 1
        if row.is_group:
            cell = sheet.cell(row_number, 1, row.text)
            cell.font, cell.fill = BOLD, GROUP_FILL
            if width > 1:
                sheet.merge_cells(
                    start_row=row_number, start_column=1, end_row=row_number, end_column=width
                )
            continue
        for index, (raw, column) in enumerate(zip(row.cells, table.columns, strict=True), 1):
            value = excel_value(value_of(raw))
            cell = sheet.cell(row_number, index, value)
            if isinstance(value_of(raw), Link):
                cell.hyperlink = value_of(raw).url
            number_format = _number_format(column, value)
            if number_format:
                cell.number_format = number_format
            if column.kind == "text":
                cell.alignment = WRAP
            tone = tone_of(raw) or row.tone
            if tone in TONES:
                cell.font = TONES[tone]
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    # Below an empty line, so that a reader of the rows stops before it.
    after = [text for text in (table.note, table.empty_text if not table.rows else "") if text]
    for offset, text in enumerate(after, 2):
        sheet.cell(row_number + offset, 1, text).font = MUTED


def _column_width(column):
    if column.kind in ("number", "change"):
        return 12
    if column.kind == "date":
        return 12
    if column.width and column.width.endswith("%"):
        # A share of a landscape page, in Excel's character widths.
        return max(10, min(80, round(float(column.width[:-1]) * 1.6)))
    return 30


def render_xlsx(report):
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Сводка"
    taken = {"сводка"}
    _write_summary(summary, report)
    for table in report.tables():
        sheet = workbook.create_sheet(sheet_title(table.title, taken))
        _write_table(sheet, report, table)
    return workbook_bytes(workbook)
