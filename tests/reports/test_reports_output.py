"""The PDF and the workbook a report turns into: text read back with pypdf and openpyxl."""

import datetime
import re

import pytest

from reports.html import font_paths
from reports.kinds import KINDS
from reports.pdf import BundledFilesOnly, html_to_pdf, render_pdf
from reports.xlsx import HEADER_ROW, render_xlsx, sheet_title

from .reporting import (
    add_schools,
    expected_row,
    pdf_fonts,
    pdf_page_texts,
    pdf_reader,
    pdf_text,
    sheet_rows,
    workbook,
)

pytestmark = pytest.mark.django_db

PT_SANS = re.compile(r"^/[A-Z]{6}\+PT-?Sans(-Bold|-Italic)?$")


@pytest.fixture
def long_roadmap_pdf(world, filled):
    add_schools(world, filled, 40)  # forty more items: several landscape pages
    report = KINDS["roadmap"].build(filled.roadmap, world.coordinator)
    return report, render_pdf(report)


def test_the_pdf_text_is_cyrillic_in_the_bundled_pt_sans(long_roadmap_pdf):
    report, pdf = long_roadmap_pdf
    text = pdf_text(pdf)
    assert "\ufffd" not in text  # no missing glyphs
    assert "Исполнение дорожной карты" in text
    for row in report.tables()[0].data_rows:
        assert " ".join(row.values[1].split()) in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(PT_SANS.match(name) for name in fonts), fonts
    assert all(fonts.values()), "every font must be embedded in the file"


def test_every_page_has_the_header_the_date_and_its_number_of_the_total(long_roadmap_pdf):
    report, pdf = long_roadmap_pdf
    pages = pdf_page_texts(pdf)
    assert len(pages) >= 3
    made = f"Сформирован {report.made_text}"
    for number, page in enumerate(pages, 1):
        assert f"стр. {number} из {len(pages)}" in page
        assert made in page
    header = f"{report.running_title} · приказ № 1030 от 30.12.2022"
    assert all(header in page for page in pages)


def test_table_headers_repeat_on_every_page_of_a_long_table(long_roadmap_pdf):
    _, pdf = long_roadmap_pdf
    heading = "№ Мероприятие Срок реализации Срок Ответственные Показатель реализации"
    pages = pdf_page_texts(pdf)
    first = next(n for n, page in enumerate(pages) if heading in page)
    assert len(pages) - first >= 3
    assert all(page.startswith(heading) for page in pages[first + 1 :])


def test_wide_reports_are_landscape_and_the_passport_portrait(world, filled, long_roadmap_pdf):
    _, pdf = long_roadmap_pdf
    box = pdf_reader(pdf).pages[0].mediabox
    assert box.width > box.height
    passport = render_pdf(KINDS["passport"].build(world.program, world.coordinator))
    box = pdf_reader(passport).pages[0].mediabox
    assert box.width < box.height


def test_charts_are_drawn_in_the_pdf_with_the_same_font(world, filled):
    pdf = render_pdf(KINDS["note"].build(filled.points.spring, world.coordinator))
    text = pdf_text(pdf)
    # The legend and axis labels of the inline SVG charts are text in the PDF.
    assert "Стартовая диагностика Первый этап Второй этап" in text
    assert "План" in text
    assert all(PT_SANS.match(name) for name in pdf_fonts(pdf))


def test_the_pdf_reads_no_file_but_the_bundled_fonts():
    fetcher = BundledFilesOnly()
    with pytest.raises(ValueError, match="Недоступный ресурс"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/tracker.png")
    font = fetcher.fetch(font_paths()["regular"].as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    font.close()
    # A picture that somehow got into the markup is left out rather than fetched.
    assert html_to_pdf('<p>Отчёт</p><img src="file:///etc/passwd">').startswith(b"%PDF")


@pytest.mark.parametrize("slug", list(KINDS))
def test_the_workbook_holds_the_same_rows_as_every_table(world, filled, subjects, slug):
    add_schools(world, filled, 3)
    report = KINDS[slug].build(subjects[slug], world.coordinator)
    book = workbook(render_xlsx(report))
    assert book.sheetnames[0] == "Сводка"
    sheets = book.worksheets[1:]
    assert len(sheets) == len(report.tables())
    for sheet, table in zip(sheets, report.tables(), strict=True):
        width = len(table.columns)
        header = [c.value for c in sheet[HEADER_ROW]][:width]
        assert header == [c.title for c in table.columns]
        assert sheet_rows(sheet, HEADER_ROW, width) == [
            expected_row(row, width) for row in table.rows
        ], table.title


def test_the_workbook_keeps_numbers_and_dates_as_such(world, filled):
    report = KINDS["roadmap"].build(filled.roadmap, world.coordinator)
    sheet = workbook(render_xlsx(report)).worksheets[1]
    first_item = HEADER_ROW + 2  # under the group row of the first module
    assert sheet.cell(first_item, 4).value == datetime.datetime(2023, 1, 31)
    assert sheet.cell(first_item, 4).number_format == "DD.MM.YYYY"
    assert sheet.cell(first_item, 9).value == 2
    summary = workbook(render_xlsx(report))["Сводка"]
    assert summary["A1"].value == "Исполнение дорожной карты"
    assert ["Мероприятий всего", 3] in [[c.value for c in row[:2]] for row in summary.iter_rows()]


def test_sheet_names_fit_excel_and_never_repeat():
    taken = {"сводка"}
    long = "Значения на точке «Первый этап: промежуточный мониторинг»"
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) <= 31 and len(second) <= 31
    assert first != second
    assert sheet_title("Сводка", taken) == "Сводка (2)"
    assert sheet_title("Итоги: 1/2 [черновик]?", taken) == "Итоги 1 2 черновик"


def test_a_long_sheet_name_is_shortened_at_a_word_and_says_so():
    taken = set()
    long = "Значения на точке «Первый этап: промежуточный мониторинг»"
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    # The guillemet the name opened is closed again (core.text.shorten).
    assert first == "Значения на точке «Первый…»"
    assert second == "Значения на точке «Первый…» (2)"
    words = set(long.replace("«", " ").replace(":", " ").split())
    for name in (first, second):
        assert len(name) <= 31
        # Every word kept whole: none is cut in the middle.
        assert set(name.split(" (")[0].rstrip("…»").replace("«", " ").split()) <= words
