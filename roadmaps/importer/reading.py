"""1. Reading the file: the tables of a .docx order or an .xlsx book as cell texts, bounded."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from core.uploads import PackageLimits, PackageRefused, check_package
from core.xlsx import ImportFileError

# What an order's table may be at most; a larger one is not a plan-graph.
# What a plan's .docx or .xlsx may unpack to: a table of a few hundred rows, with the order's
# text and pictures around it.
PLAN_LIMITS = PackageLimits(entries=2000, total_mb=50, entry_mb=40, ratio=100)
MAX_TABLES = 50
MAX_ROWS = 2000
MAX_COLUMNS = 30


EXTENSIONS = ("docx", "xlsx")


@dataclass
class Table:
    """One table of the file as cell texts, row by row (merged cells repeated)."""

    index: int
    label: str
    rows: list[list[str]]

    @property
    def width(self):
        return max((len(row) for row in self.rows), default=0)


# --- 1. Reading the file ------------------------------------------------------------------


def _check_package(content):
    """Refuse an Office package that is no zip or would unpack beyond the bounds — entries,
    declared sizes and compression ratio, read from its directory before anything inflates
    (`core.uploads.check_package`, the bound every upload and import of the portal keeps)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            check_package(package, PLAN_LIMITS)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError("Файл повреждён: это не документ Word или книга Excel.") from error
    except PackageRefused as error:
        raise ImportFileError(
            f"Файл не принят: {error}. В нём не может быть одна таблица плана; сохраните "
            "таблицу плана в отдельный файл."
        ) from error


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _bounded(rows, label):
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"{label}: больше {MAX_ROWS} строк — это не план мероприятий.")
    return [row[:MAX_COLUMNS] for row in rows]


def _docx_tables(content):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ImportFileError("Файл не является документом Word (.docx).") from error
    tables = []
    for index, table in enumerate(document.tables[:MAX_TABLES]):
        rows = [[_cell_text(cell.text) for cell in row.cells] for row in table.rows]
        label = f"Таблица {index + 1}"
        tables.append(Table(index, label, _bounded(rows, label)))
    return tables


def _xlsx_tables(content):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: merged ranges are known only to a fully loaded sheet.
        book = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as error:
        raise ImportFileError("Файл не является книгой Excel (.xlsx).") from error
    tables = []
    for index, sheet in enumerate(book.worksheets[:MAX_TABLES]):
        label = f"Лист «{sheet.title}»"
        width = min(sheet.max_column, MAX_COLUMNS)
        rows = [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(max_col=width, values_only=True)
        ]
        # Formatting alone stretches a sheet far below its last written row.
        while rows and not any(rows[-1]):
            rows.pop()
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"{label}: больше {MAX_ROWS} строк — это не план мероприятий.")
        for merged in sheet.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_col <= width else ""
            for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
                for c in range(merged.min_col, min(merged.max_col, width) + 1):
                    rows[r - 1][c - 1] = top
        tables.append(Table(index, label, rows))
    book.close()
    return tables


def read_tables(content, filename):
    """The tables of a .docx or .xlsx file that have at least two rows and two columns.
    Raises `ImportFileError` with a Russian message when there is nothing to read."""
    ext = PurePath(filename or "").suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise ImportFileError("Нужен документ Word (.docx) или книга Excel (.xlsx).")
    if not content:
        raise ImportFileError("Файл пуст.")
    _check_package(content)
    tables = _docx_tables(content) if ext == "docx" else _xlsx_tables(content)
    tables = [t for t in tables if sum(1 for row in t.rows if any(row)) >= 2 and t.width >= 2]
    if not tables:
        raise ImportFileError(
            "В файле нет таблицы: план мероприятий должен быть таблицей со строкой заголовков."
        )
    return tables
