"""Real .docx and .xlsx files with a plan table, written by the tests: rows of cell texts, with
cells merged across (a module heading) or down (one responsible for several items)."""

import io

import docx
from openpyxl import Workbook

HEADER = ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат / Показатель"]


def docx_file(*tables, before="ПЛАН-ГРАФИК реализации проекта", merges=()):
    """A Word document with a paragraph and the `tables` (lists of rows). `merges` are
    (table, row, first column, last row, last column) ranges, 0-based, merged with the text of
    their first cell."""
    document = docx.Document()
    document.add_paragraph(before)
    for number, rows in enumerate(tables):
        width = max(len(row) for row in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        for t, row, col, last_row, last_col in merges:
            if t == number:
                text = table.cell(row, col).text
                merged = table.cell(row, col).merge(table.cell(last_row, last_col))
                merged.text = text
        document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file(*sheets, merges=()):
    """An Excel book with one sheet per table; `merges` as for `docx_file` (sheet first)."""
    book = Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Лист{number + 1}")
        for row in rows:
            sheet.append([text or None for text in row])
        for t, row, col, last_row, last_col in merges:
            if t == number:
                sheet.merge_cells(
                    start_row=row + 1,
                    start_column=col + 1,
                    end_row=last_row + 1,
                    end_column=last_col + 1,
                )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_rows(items, header=HEADER, heading="Модуль «{}»"):
    """The rows of a plan table for demo `Item`s, with a heading row before each module, and
    the (row, col, last row, last col) ranges of those headings merged across the table."""
    rows, merges, module = [list(header)], [], None
    for item in items:
        if item.module and item.module != module:
            module = item.module
            merges.append((len(rows), 0, len(rows), len(header) - 1))
            rows.append([heading.format(module)] + [""] * (len(header) - 1))
        responsible = item.responsible_note or "; ".join(item.responsible)
        rows.append([item.number, item.title, item.schedule, responsible, item.result])
    return rows, merges
