"""Reading an uploaded Excel workbook for an import, and keeping it between the preview and the
confirmation.

An import is two requests: the upload shows a preview (what will be created or changed, and
every wrong row with its reason), the confirmation applies it. Between them the file is kept in
the user's session under a random token — the session lives in the database, so any app server
behind the load balancer can take the confirmation — and it is read and validated again on
confirm, so the preview is never trusted blindly.

Both imports (schools, indicator values) use `read_sheet` for the workbook and `RowError` for
their messages; each defines its own columns. `workbook_response` writes a template.
"""

import base64
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from core.exports import XLSX_CONTENT_TYPE, workbook_bytes
from core.text import strip_controls
from core.uploads import ZIP, PackageLimits, PackageRefused, check_package

MAX_IMPORT_MB = 5
_SESSION_KEY = "xlsx_imports"
# A person rarely has more than one import open; older ones are forgotten.
_KEPT = 3


class ImportFileError(Exception):
    """The file as a whole cannot be read: not Excel, empty, no data, missing columns."""


@dataclass(frozen=True)
class RowError:
    """A wrong row: its number in the sheet (as Excel shows it), the column, the reason."""

    row: int
    column: str
    message: str


class ImportPlan:
    """What an import would do: its `changes` (each with an `action`: create, update or same)
    and its `errors` (RowError). A plan with any error is never applied."""

    changes: list
    errors: list

    @property
    def creates(self):
        return [c for c in self.changes if c.action == "create"]

    @property
    def updates(self):
        return [c for c in self.changes if c.action == "update"]

    @property
    def unchanged(self):
        return [c for c in self.changes if c.action == "same"]

    @property
    def is_valid(self):
        return not self.errors

    @property
    def size(self):
        """How many rows applying the plan writes: what decides whether it is written in the
        request or in the background (`IMPORT_BACKGROUND_ROWS`)."""
        return len(self.creates) + len(self.updates)


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False


def normalize(text):
    """Compare names the way people type them: case, «ё», quotes and spaces do not matter."""
    text = str(text or "").casefold().replace("ё", "е")
    for quote in "«»\"'“”„":
        text = text.replace(quote, "")
    return " ".join(text.split())


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Names read from a workbook lose invisible controls as those typed in a form do.
    return strip_controls(str(value)).strip()


@dataclass
class Sheet:
    """Data rows of the first sheet: `rows` are (row number, {key: value}); `extra_headers`
    are the columns the import did not define (an import may read them itself)."""

    rows: list
    headers: dict  # normalized header -> column index


# An import file is a few thousand rows of short cells; these bounds are far above any real one
# and far below what would take a worker down (see `core.uploads.check_package`).
IMPORT_LIMITS = PackageLimits(entries=200, total_mb=60, entry_mb=40, ratio=100)
# openpyxl holds every shared string in memory before the first row is read.
MAX_SHARED_STRINGS_MB = 8
MAX_ROWS = 10_000
_SHOWN_FORMULAS = 5

NOT_EXCEL = "Файл не является книгой Excel (.xlsx). Скачайте шаблон и заполните его."


def open_workbook(content, *, limits=IMPORT_LIMITS, read_only=True, not_excel=NOT_EXCEL):
    """The workbook of an uploaded file, opened only after its zip directory has been checked
    against `limits`: nothing is inflated before that. Formulas stay formulas (not the values
    Excel cached), so that a reader refuses them (`formula_error`). `read_only=False` for a
    reader that needs merged ranges, known only to a fully loaded sheet; `not_excel`: what a
    person is told of a file that is no workbook."""
    from openpyxl import load_workbook

    if not content.startswith(ZIP):
        raise ImportFileError(not_excel)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            check_package(package, limits)
            for info in package.infolist():
                if (
                    info.filename.lower().endswith("sharedstrings.xml")
                    and info.file_size > MAX_SHARED_STRINGS_MB * 1024 * 1024
                ):
                    raise ImportFileError(
                        f"В книге слишком много текста: больше {MAX_SHARED_STRINGS_MB} МБ. "
                        "Оставьте в ней только лист шаблона."
                    )
            for info in package.infolist():
                name = info.filename.lower()
                if name.startswith("xl/worksheets/") and (
                    _count_rows(package, info.filename) > MAX_ROWS + 1
                ):
                    raise _too_many_rows()
    except PackageRefused as refused:
        raise ImportFileError(f"Файл не принят: {refused.message}.") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ImportFileError(not_excel) from error
    try:
        # Formulas are read as formulas (not as the values Excel cached) so they can be named.
        return load_workbook(io.BytesIO(content), read_only=read_only, data_only=False)
    except Exception as error:
        # openpyxl raises whatever its parsers meet in a damaged file (KeyError, ValueError,
        # XML syntax errors, ...); to the person it is all the same: not a workbook we can read.
        raise ImportFileError(not_excel) from error


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(package, name):
    """How many rows a worksheet part holds, counted as it inflates in 1 MB pieces (openpyxl
    would otherwise read a sheet without a stated size to its end before the first row)."""
    count, tail = 0, b""
    with package.open(name) as entry:
        while piece := entry.read(1024 * 1024):
            chunk = tail + piece
            count += len(_ROW_TAG.findall(chunk))
            # A tag cut between two pieces is carried over and counted in the next one.
            cut = chunk.rfind(b"<", max(len(chunk) - 16, 0))
            tail = chunk[cut:] if cut != -1 and not _ROW_TAG.match(chunk, cut) else b""
            if count > MAX_ROWS + 1:
                break
    return count


def formula_error(cells):
    """The refusal of a workbook whose `cells` (their coordinates) hold formulas."""
    shown = ", ".join(cells[:_SHOWN_FORMULAS]) + (
        " и другие" if len(cells) > _SHOWN_FORMULAS else ""
    )
    return ImportFileError(
        f"В ячейках {shown} формулы. Импорт принимает только значения: выделите ячейки, "
        "скопируйте и вставьте их как значения (Специальная вставка → Значения)."
    )


def read_sheet(content, columns, *, allow_extra=False):
    """Read the first sheet. The first row names the columns (in any order); empty rows are
    skipped. Raises ImportFileError with a Russian message when the file as a whole is wrong:
    not a workbook, too big when unpacked, more than `MAX_ROWS` rows, formulas in cells."""
    if not content:
        raise ImportFileError("Файл пуст.")
    book = open_workbook(content)
    try:
        rows, headers = _read_rows(book, columns, allow_extra)
    except ImportFileError:
        raise
    except Exception as error:
        # A part that only fails when its rows are read (see open_workbook).
        raise ImportFileError(NOT_EXCEL) from error
    finally:
        book.close()
    if not rows:
        raise ImportFileError("В файле нет строк с данными.")
    return Sheet(rows=rows, headers=headers)


def read_table(content):
    """Every row of the first sheet as cell values, with its row number, empty rows skipped:
    for a table whose header is found by guessing (`core.headers`), title rows and all. The
    same refusals as `read_sheet`: not a workbook, too big unpacked, too many rows, formulas."""
    if not content:
        raise ImportFileError("Файл пуст.")
    book = open_workbook(content)
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise ImportFileError("В книге нет листов.")
        rows, formulas = [], []
        for number, (values, shown) in enumerate(sheet_rows(sheet), start=1):
            if number > MAX_ROWS + 1:
                raise _too_many_rows()
            formulas.extend(shown)
            if any(cell_text(v) for v in values):
                rows.append((number, values))
        if formulas:
            raise formula_error(formulas)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(NOT_EXCEL) from error
    finally:
        book.close()
    if not rows:
        raise ImportFileError("В файле нет строк с данными.")
    return rows


MAX_CSV_MB = 5


def read_csv_table(content):
    """The rows of a .csv table as `read_table` gives a sheet's: UTF-8 (with or without its
    mark) or Windows-1251, as the region's systems write them; `;`, `,` or a tab between
    cells. Cell text is kept as text: a cell beginning with «=» is never evaluated."""
    import csv

    if not content:
        raise ImportFileError("Файл пуст.")
    if len(content) > MAX_CSV_MB * 1024 * 1024:
        raise ImportFileError(f"Файл больше {MAX_CSV_MB} МБ.")
    if b"\0" in content[:4096]:
        raise ImportFileError("Файл не является таблицей CSV: сохраните таблицу как CSV (UTF-8).")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte but a few
        raise ImportFileError("Не удалось прочитать кодировку файла; сохраните его в UTF-8.")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        dialect = type("Guessed", (csv.excel,), {"delimiter": delimiter})
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if number > MAX_ROWS + 1:
                raise _too_many_rows()
            if any(cell.strip() for cell in cells):
                rows.append((number, tuple(cells)))
    except csv.Error as error:
        raise ImportFileError("Файл не является таблицей CSV.") from error
    if not rows:
        raise ImportFileError("В файле нет строк с данными.")
    return rows


def _too_many_rows():
    return ImportFileError(
        f"В файле больше {MAX_ROWS:,} строк. Разделите его на части.".replace(",", " ")
    )


def _read_rows(book, columns, allow_extra):
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise ImportFileError("В книге нет листов.")
    if (sheet.max_row or 0) > MAX_ROWS + 1:
        raise _too_many_rows()
    all_rows = sheet_rows(sheet)
    header_row, shown = next(all_rows, ((), ()))
    if shown:
        raise formula_error(list(shown))
    if not header_row or not any(cell_text(v) for v in header_row):
        raise ImportFileError("В первой строке листа должны быть названия столбцов.")
    headers = {}
    for index, value in enumerate(header_row):
        name = normalize(cell_text(value))
        if name and name not in headers:
            headers[name] = index
    missing = [c.header for c in columns if c.required and normalize(c.header) not in headers]
    if missing:
        raise ImportFileError(
            "Нет обязательных столбцов: " + ", ".join(f"«{m}»" for m in missing) + "."
        )
    positions = {c.key: headers.get(normalize(c.header)) for c in columns}
    rows, formulas = [], []
    for number, (values, shown) in enumerate(all_rows, start=2):
        if number > MAX_ROWS + 1:
            raise _too_many_rows()
        formulas.extend(shown)
        if not values or not any(cell_text(v) for v in values):
            continue
        row = {
            key: (values[index] if index is not None and index < len(values) else None)
            for key, index in positions.items()
        }
        if allow_extra:
            row["_cells"] = values
        rows.append((number, row))
    if formulas:
        raise formula_error(formulas)
    return rows, headers


# --- The rows of a worksheet -------------------------------------------------------------------
#
# openpyxl's read-only sheet spends most of an import's reading in Python: its XML goes through
# defusedxml's pure-Python parser, and every cell becomes a dict and a cell object. A template of
# 3,000 schools × 15 indicators took a second to read that way. `sheet_rows` reads the same part
# with the C parser of the standard library and converts the plain cells (numbers, shared and
# inline strings) itself; every other cell (dates, booleans, errors, formulas, odd markup) goes to
# openpyxl's own `parse_cell`, and the rows come padded and numbered exactly as `iter_rows()` of a
# read-only sheet gives them (tests/core/test_xlsx_rows.py compares the two).

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT = (
    _MAIN + tag for tag in ("row", "c", "v", "f", "is", "t")
)
_CHUNK = 64 * 1024
# A coordinate as openpyxl reads it the same way in every case («AB12»; «A01» too).
_COORDINATE = re.compile(r"([A-Z]{1,3})[0-9]+")


class _RootReached(Exception):
    pass


class _Prolog:
    """Watches the beginning of a part for a document type declaration. The Open Packaging
    Conventions (ECMA-376 part 2, [M1.18]) tell a reader to treat one as an error, and only a
    DTD can declare the entities of «billion laughs» or read a file of the server (XXE): a part
    with one is refused before it is read, as defusedxml refuses such parts for openpyxl."""

    def __init__(self):
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root
        self.done = False

    @staticmethod
    def _doctype(*args):
        raise ImportFileError(NOT_EXCEL)

    @staticmethod
    def _root(*args):
        raise _RootReached

    def check(self, chunk):
        if self.done:
            return
        try:
            self.parser.Parse(chunk, False)
        except _RootReached:
            self.done = True


def _row_elements(source):
    """The row elements of a worksheet part as each ends, parsed in pieces by the C
    ElementTree; each is cleared once the next is asked for."""
    prolog = _Prolog()
    parser = ElementTree.XMLPullParser(events=("end",))
    finished = False
    while not finished:
        chunk = source.read(_CHUNK)
        if chunk:
            # Checked before the parser sees the piece: a declaration is refused unread.
            prolog.check(chunk)
            parser.feed(chunk)
        else:
            parser.close()  # a part cut short raises here, as openpyxl's parser does
            finished = True
        for _, element in parser.read_events():
            if element.tag == _ROW:
                yield element
                element.clear()


def sheet_rows(sheet):
    """The rows of a read-only worksheet (openpyxl), as `sheet.iter_rows()` gives them: a tuple
    of cell values per row from the first, rows missing from the file given empty, each row as
    wide as the sheet's stated dimension (or up to its last cell) — each with the coordinates of
    its formula cells («D2»), whose value is None here."""
    from openpyxl.utils.cell import column_index_from_string, get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser, _cast_number

    book = sheet.parent
    strings = sheet._shared_strings
    dates = book._date_formats
    # The cells this reader does not convert itself go to openpyxl's own parser.
    fallback = WorkSheetParser(
        None,
        strings,
        data_only=book.data_only,
        epoch=book.epoch,
        date_formats=dates,
        timedelta_formats=book._timedelta_formats,
    )
    formulas_read = not book.data_only
    max_col, max_row = sheet.max_column, sheet.max_row
    empty = ((None,) * max_col if max_col is not None else (), ())

    columns = {}  # «AB» → 28, as openpyxl's coordinate_to_tuple finds it

    def plain(element):
        """(column, value) of a plain cell — a number or a string at a coordinate, no formula —
        as openpyxl's parse_cell gives it; None for a cell of any other kind (a date, a
        boolean, an error, rich text, no coordinate)."""
        coordinate = element.get("r")
        match = _COORDINATE.fullmatch(coordinate) if coordinate else None
        if match is None or element.tag != _CELL:
            return None
        kind = element.get("t")
        style = element.get("s", 0)
        if style:
            style = int(style)
        if formulas_read and element.find(_FORMULA) is not None:
            return None
        if kind == "inlineStr":
            inline = element.find(_INLINE)
            if inline is None:
                value = None
            elif len(inline) == 1 and inline[0].tag == _TEXT and not inline.attrib:
                value = inline[0].text or ""
            else:
                return None
        elif kind is None or kind == "n" or kind == "s":
            value = element.findtext(_VALUE, None) or None
            if value is not None:
                if kind == "s":
                    value = strings[int(value)]
                elif style in dates:
                    return None
                else:
                    value = _cast_number(value)
        else:
            return None
        letters = match.group(1)
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = column_index_from_string(letters)
        return column, value

    def row_of(element):
        """The row's number and its (values, formula coordinates), as openpyxl's parse_row
        and read-only `_get_row`."""
        nonlocal row_counter
        number = element.get("r")
        if number is not None:
            try:
                row_counter = int(number)
            except ValueError:
                number = float(number)
                if not number.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                row_counter = int(number)
        else:
            row_counter += 1
        cells, column = [], 0
        for child in element:
            parsed = plain(child)
            if parsed is not None:
                column, value = parsed
                cells.append((column, value, None))
                continue
            fallback.row_counter, fallback.col_counter = row_counter, column
            other = fallback.parse_cell(child)
            column = other["column"]
            if other["data_type"] == "f":
                cells.append((column, None, other["row"]))
            else:
                cells.append((column, other["value"], None))
        if not cells and not max_col:
            return row_counter, ((), ())
        width = max_col or cells[-1][0]
        values = [None] * width
        formulas = {}
        for column, value, formula_row in cells:
            if 1 <= column <= width:
                values[column - 1] = value
                if formula_row is None:
                    formulas.pop(column, None)
                else:
                    formulas[column] = f"{get_column_letter(column)}{formula_row}"
        return row_counter, (tuple(values), tuple(formulas[c] for c in sorted(formulas)))

    row_counter = 0
    counter = number = 1
    with book._archive.open(sheet._worksheet_path) as source:
        for element in _row_elements(source):
            number, row = row_of(element)
            if max_row is not None and number > max_row:
                break
            while counter < number:  # rows missing from the file
                counter += 1
                yield empty
            if counter <= number:
                counter += 1
                yield row
    if max_row is not None and max_row < number:
        while counter <= max_row:
            counter += 1
            yield empty


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл Excel (.xlsx)",
        help_text=f"Заполненный шаблон, не больше {MAX_IMPORT_MB} МБ",
        error_messages={
            "required": "Выберите файл.",
            "empty": "Файл пуст.",
            "invalid": "Файл не получен; выберите его снова.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise ValidationError("Нужен файл Excel с расширением .xlsx (шаблон со страницы).")
        if upload.size > MAX_IMPORT_MB * 1024 * 1024:
            raise ValidationError(f"Файл больше {MAX_IMPORT_MB} МБ.")
        return upload


def stash(request, kind, content, params):
    """Keep an uploaded file in the session until it is confirmed; returns its token."""
    kept = dict(request.session.get(_SESSION_KEY, {}))
    while len(kept) >= _KEPT:
        kept.pop(next(iter(kept)))
    token = secrets.token_urlsafe(16)
    kept[token] = {
        "kind": kind,
        "content": base64.b64encode(content).decode("ascii"),
        "params": params,
    }
    request.session[_SESSION_KEY] = kept
    return token


def unstash(request, kind, token):
    """The (content, params) kept under the token for this kind of import, or None."""
    entry = request.session.get(_SESSION_KEY, {}).get(token or "")
    if not entry or entry["kind"] != kind:
        return None
    return base64.b64decode(entry["content"]), entry["params"]


def forget(request, token):
    kept = dict(request.session.get(_SESSION_KEY, {}))
    if kept.pop(token, None) is not None:
        request.session[_SESSION_KEY] = kept


def workbook_response(book, filename):
    response = HttpResponse(workbook_bytes(book), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def style_header(sheet, widths):
    """Bold, frozen header row and readable column widths in a template."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
