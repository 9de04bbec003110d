"""`core.xlsx.sheet_rows` reads a worksheet as openpyxl's read-only `iter_rows()` does — the
same rows, padded and numbered the same way, the same values, the same formula cells — whatever
wrote the file; a part with a document type declaration is refused before it is read."""

import datetime
import io
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from core.xlsx import NOT_EXCEL, ImportFileError, open_workbook, read_sheet, read_table, sheet_rows
from tests.hostile import (
    CONTENT_TYPES,
    ROOT_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
    _package,
    workbook,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def raw(sheet_data, *, dimension=None, strings=(), prolog=""):
    """A workbook whose first sheet is `sheet_data` (the XML inside <sheetData>), with the
    shared strings `strings` (the XML inside each <si>)."""
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{MAIN}">'
        f"{dimension}<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    shared = "".join(f"<si>{s}</si>" for s in strings)
    return _package(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": WORKBOOK,
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{shared}</sst>',
        }
    )


def written(rows, *, epoch=None, at=None):
    """A workbook saved by openpyxl (styles, dates, its own way of writing strings)."""
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for coordinate, value in (at or {}).items():
        sheet[coordinate] = value
    sheet["E3"].number_format = "0.00%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MOMENT = datetime.datetime(2024, 5, 17, 10, 30)
TYPES = [
    ["Школа", "ИНН", "Муниципалитет", "1. Доля", "2. Есть"],
    ["МБОУ «СОШ № 1»", "7700000001", None, 12.5, True],
    ["  с пробелами  ", 7700000002, "Район", 0, False],
    [None, None, None, None, None],
    ["даты", datetime.date(2024, 5, 17), MOMENT, datetime.time(9, 15), Decimal("3.25")],
    ["формулы", "=B2*2", "=SUM(D2:D3)", -1e300, 10**15],
    ["", "‮текст‬", "=", "#DIV/0!", 1e-7],
]

CASES = {
    "openpyxl": written(TYPES, at={"H9": "далеко справа", "B12": 7}),
    "openpyxl-1904": written(TYPES, epoch=CALENDAR_MAC_1904),
    "hostile-writer": workbook(
        [
            ["Школа", "1. Доля"],
            ["МБОУ", ("=", 'HYPERLINK("http://x")')],
            [("e", "#N/A"), True, 1.5, 7],
            [None, None, "текст & <знаки>"],
        ]
    ),
    "shared-strings": raw(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"/></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="n"><v>2.50</v></c>'
        '<c r="C2" t="n"><v></v></c><c r="D2"><v>1E3</v></c></row>',
        strings=[
            "<t>Школа</t>",
            "<r><t>Бо</t></r><r><rPr><b/></rPr><t>льшая</t></r>",
            '<t xml:space="preserve">  1. Доля _x005F_x000D_ </t><rPh sb="0" eb="1"><t>ф</t></rPh>',
            "<t/>",
        ],
    ),
    "every-type": raw(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Школа</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t>бо</t></r><r><t>гатый</t></r></is></c>'
        '<c r="C1" t="inlineStr"><is><t/></is></c><c r="D1" t="inlineStr"/>'
        '<c r="E1" t="str"><v>строка формулы</v></c><c r="F1" t="e"><v>#VALUE!</v></c>'
        '<c r="G1" t="b"><v>1</v></c><c r="H1" t="d"><v>2024-05-17T10:30:00</v></c></row>'
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"</f><v>a</v></c>'
        '<c r="C2"><f t="shared" ref="C2:C3" si="0">A2*2</f><v>4</v></c></row>'
        '<row r="3"><c r="C3"><f t="shared" si="0"/><v>4</v></c><c r="D3" s="0"><v>5</v></c>'
        "</row>",
    ),
    "odd-markup": raw(
        # Rows and cells without coordinates, rows missing, repeated and out of order, cells
        # out of order, a lower-case and a zero-padded coordinate, a row numbered «4.0».
        '<row><c t="inlineStr"><is><t>Школа</t></is></c><c><v>1</v></c></row>'
        '<row r="3"><c r="C3"><v>3</v></c><c r="A3"><v>1</v></c><c><v>4</v></c></row>'
        '<row r="3"><c r="A3"><v>99</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c></row>'
        '<row r="4.0"><c r="b4"><v>5</v></c><c r="C04"><v>6</v></c><x/></row>'
        '<row r="7" spans="1:2" ht="20" customHeight="1"><c r="B7"><v>7</v></c></row>',
    ),
    "narrow-dimension": raw(
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="D1"><f>1</f></c></row>'
        '<row r="4"><c r="A4"><v>4</v></c></row><row r="6"><c r="A6"><v>6</v></c></row>',
        dimension="A1:B5",
    ),
    "wide-dimension": raw('<row r="2"><c r="B2"><v>2</v></c></row>', dimension="A1:E4"),
    "no-rows": raw(""),
    "one-cell-dimension": raw(
        '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
        '<row r="2"><c r="A2"><v>3</v></c></row>',
        dimension="A1",
    ),
}


def openpyxl_rows(content):
    """What openpyxl's read-only sheet gives: each row's values (None for a formula cell)
    and the coordinates of its formula cells."""
    book = open_workbook(content)
    try:
        rows = []
        for cells in book.worksheets[0].iter_rows():
            formulas = tuple(c.coordinate for c in cells if c.data_type == "f")
            values = tuple(None if c.data_type == "f" else c.value for c in cells)
            rows.append((values, formulas))
        return rows
    finally:
        book.close()


def our_rows(content):
    book = open_workbook(content)
    try:
        return list(sheet_rows(book.worksheets[0]))
    finally:
        book.close()


@pytest.mark.parametrize("name", CASES)
def test_every_row_and_value_is_read_as_openpyxl_reads_it(name):
    expected = openpyxl_rows(CASES[name])
    assert our_rows(CASES[name]) == expected
    assert [type(v) for row, _ in our_rows(CASES[name]) for v in row] == [
        type(v) for row, _ in expected for v in row
    ]


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="2.5"><c r="A1"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
        '<row r="1"><c r="A1"><v>один</v></c></row>',
        '<row r="1"><c r="A1" s="x"><v>1</v></c></row>',
        '<row r="1"><c r="1A"><v>1</v></c></row>',
        '<row r="1"><c r="A1"><v>1</v></c>',
    ],
)
def test_what_openpyxl_cannot_read_is_not_read_either(sheet_data):
    content = raw(sheet_data)
    with pytest.raises(Exception):  # noqa: B017 - whatever openpyxl raises
        openpyxl_rows(content)
    with pytest.raises(Exception):  # noqa: B017
        our_rows(content)
    with pytest.raises(ImportFileError):
        read_table(content)


LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "ха-ха-ха-ха-ха-ха-ха-ха-ха-ха">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)


@pytest.mark.parametrize(
    ("prolog", "cell"),
    [
        (LAUGHS, "&i;"),
        ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
        ("<!DOCTYPE worksheet>", "Школа"),
    ],
)
def test_a_sheet_with_a_document_type_declaration_is_not_read(prolog, cell):
    content = raw(
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{cell}</t></is></c></row>', prolog=prolog
    )
    started = time.process_time()
    for read in (lambda: read_sheet(content, []), lambda: read_table(content)):
        with pytest.raises(ImportFileError) as refused:
            read()
        assert str(refused.value) == NOT_EXCEL
    assert time.process_time() - started < 2
