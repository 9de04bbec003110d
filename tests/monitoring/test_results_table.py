"""Reading a table of assessment results (.xlsx, .csv) with title rows above a guessed header,
the rows it cannot read, and the measures computed from summed counts."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.xlsx import ImportFileError
from monitoring.results import Measure, compute, meaning_of, read_results, select
from tests.hostile import import_corpus

HEADER = [
    "Логин ОО",
    "ИНН",
    "Наименование ОО",
    "Предмет",
    "Класс",
    "Кол-во участников",
    "«2»",
    "«3»",
    "«4»",
    "«5»",
    "Средний балл",
]


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig"):
    text = "\r\n".join(delimiter.join(str(c) for c in row) for row in rows)
    return text.encode(encoding)


TITLE = [["Результаты ВПР 2023 года"], ["Сургутский район"], []]
ROWS = [
    ["sch861001", "8617001234", "МБОУ «Русскинская СОШ»", "Русский язык", "5", 20, 4, 8, 6, 2, 3.5],
    [
        "sch861001",
        "8617001234",
        "МБОУ «Русскинская СОШ»",
        "Математика",
        "5 класс",
        20,
        2,
        8,
        8,
        2,
        "",
    ],
    [
        "sch861001",
        "8617001234",
        "МБОУ «Русскинская СОШ»",
        "Русский язык",
        "6",
        30,
        9,
        12,
        6,
        3,
        3.1,
    ],
]


def test_the_header_is_found_below_title_rows_in_xlsx_and_csv():
    for content, name in (
        (xlsx([*TITLE, HEADER, *ROWS]), "впр.xlsx"),
        (csv_bytes([*TITLE, HEADER, *ROWS]), "впр.csv"),
        (csv_bytes([*TITLE, HEADER, *ROWS], ",", "cp1251"), "впр.csv"),
    ):
        table = read_results(content, name)
        assert table.errors == []
        assert table.header_number == 4
        assert [(r.subject, r.grade, r.participants) for r in table.rows] == [
            ("Русский язык", 5, 20),
            ("Математика", 5, 20),
            ("Русский язык", 6, 30),
        ]
        first = table.rows[0]
        assert (first.code, first.inn, first.marks) == (
            "sch861001",
            "8617001234",
            {2: 4, 3: 8, 4: 6, 5: 2},
        )


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Код ОО", "code"),
        ("ИНН ОО", "inn"),
        ("Наименование образовательной организации", "name"),
        ("Параллель", "grade"),
        ("Количество участников", "participants"),
        ("Отметка «5»", "mark_5"),
        ("Доля «2», %", "share_2"),
        ("% «4»", "share_4"),
        ("Средний первичный балл", "mean"),
        ("Примечание", None),
    ],
)
def test_headers_are_guessed_as_people_write_them(header, field):
    assert meaning_of(header) == field


def test_shares_of_marks_become_counts_of_participants():
    header = [
        "Код ОО",
        "Предмет",
        "Класс",
        "Участников",
        "Доля «2», %",
        "Доля «3», %",
        "Доля «4», %",
        "Доля «5», %",
    ]
    table = read_results(xlsx([header, ["sch1", "Математика", 7, 40, 25, 50, 20, 5]]), "a.xlsx")
    assert table.rows[0].marks == {2: 10, 3: 20, 4: 8, 5: 2}


@pytest.mark.parametrize(
    ("row", "says"),
    [
        (["", "", "", "Математика", "5", 20, 1, 1, 1, 1], "Школа не названа"),
        (["sch1", "", "", "", "5", 20, 1, 1, 1, 1], "Не указан предмет"),
        (["sch1", "", "", "Математика", "5", "двадцать", 1, 1, 1, 1], "не число"),
        (["sch1", "", "", "Математика", "5", 0, 0, 0, 0, 0], "больше нуля"),
        (["sch1", "", "", "Математика", "15", 20, 1, 1, 1, 1], "от 1 до 11"),
        (["sch1", "", "", "Математика", "5", 20, 10, 10, 10, 1], "больше, чем участников"),
        (["sch1", "", "", "Математика", "5", 20, -1, 1, 1, 1], "от нуля"),
        (["sch1", "", "", "Математика", "5", 20, "=1+1", 1, 1, 1], "не число"),
        (["sch1", "", "", "Математика", "5", 20, 1.5, 1, 1, 1], "целое"),
    ],
)
def test_an_unreadable_row_is_listed_with_its_reason_and_the_rest_is_read(row, says):
    content = csv_bytes([HEADER, row, ROWS[0]])
    table = read_results(content, "впр.csv")
    assert len(table.rows) == 1
    [error] = table.errors
    assert error.row == 2 and says in error.message


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ([["Результаты"], ["школа", "балл"]], "Не найдена строка заголовков"),
        ([["Код ОО", "Предмет", "Класс", "«2»"]], "числом участников"),
        ([["Участников", "Класс", "«2»", "«3»"]], "называет школу"),
    ],
)
def test_a_table_without_the_columns_it_needs_is_refused_as_a_whole(rows, says):
    with pytest.raises(ImportFileError, match=says):
        read_results(xlsx(rows), "a.xlsx")


def test_other_kinds_of_file_are_refused():
    with pytest.raises(ImportFileError, match=".xlsx или .csv"):
        read_results(b"%PDF-1.4", "результаты.pdf")
    with pytest.raises(ImportFileError, match="не является таблицей CSV"):
        read_results(b"PK\x03\x04\x00\x00binary", "результаты.csv")


@pytest.mark.parametrize("hostile", import_corpus(tuple(HEADER)), ids=lambda h: h.name)
def test_hostile_workbooks_are_refused_with_their_reason(hostile):
    with pytest.raises(ImportFileError) as refused:
        read_results(hostile.content, hostile.name)
    assert hostile.says in str(refused.value)


def test_measures_come_from_summed_counts_weighted_by_participants():
    rows = read_results(xlsx([HEADER, *ROWS]), "a.xlsx").rows
    russian = select(rows, subjects=["русский  язык"])
    # 20 + 30 participants: «2» 4 + 9, «3» 8 + 12, «4» 6 + 6, «5» 2 + 3.
    assert compute(russian, Measure.SHARE_2) == Decimal("26.00")
    assert compute(russian, Measure.QUALITY) == Decimal("34.00")
    assert compute(russian, Measure.SUCCESS) == Decimal("74.00")
    # (2 × 13 + 3 × 20 + 4 × 12 + 5 × 5) / 50
    assert compute(russian, Measure.MEAN_MARK) == Decimal("3.18")
    # 3.5 × 20 + 3.1 × 30 over 50 participants, not the plain mean of 3.5 and 3.1 (3.3).
    assert compute(russian, Measure.MEAN_SCORE) == Decimal("3.26")
    assert compute(select(rows, grades=[5]), Measure.QUALITY) == Decimal("45.00")
    assert compute(select(rows, subjects=["Математика"], grades=[6]), Measure.QUALITY) is None


def test_a_measure_of_marks_needs_every_mark():
    header = ["Код ОО", "Предмет", "Участников", "«2»", "Средний балл"]
    rows = read_results(xlsx([header, ["sch1", "ОГЭ математика", 10, 1, 3.9]]), "a.xlsx").rows
    assert compute(rows, Measure.SHARE_2) is None
    assert compute(rows, Measure.MEAN_SCORE) == Decimal("3.90")
