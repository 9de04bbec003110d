"""The importer on awkward tables the tests generate: merged headings and cells, empty rows,
line breaks inside cells, a title above the header, a numbering row, several tables, rows that
cannot be read, files that are no plan at all."""

import io
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.xlsx import ImportFileError
from roadmaps.importer import Meaning, Table, guess_columns, plan_import, read_tables
from roadmaps.models import RoadmapItem
from tests import factories as f

from .tables import HEADER, docx_file, xlsx_file

pytestmark = pytest.mark.django_db


def awkward_rows():
    """A plan as orders write it: a title row, the header, «1 2 3 4 5», a module merged across,
    line breaks inside cells, an empty row, a responsible cell merged down over two items."""
    rows = [
        ["План мероприятий проекта «Вектор на развитие»", "", "", "", ""],
        HEADER,
        ["1", "2", "3", "4", "5"],
        ["Модуль 1. Организационное направление", "", "", "", ""],
        ["1.1", "Старт\nпроекта", "Январь-\nфевраль 2023", "ДОиМП Сургутского района", ""],
        ["", "", "", "", ""],
        [
            "1.2",
            "Диагностика школ",
            "I квартал 2023",
            "МБОУ «Русскинская СОШ»,\nмуниципальные координаторы",
            "Проведена диагностика",
        ],
        [
            "1.3",
            "Самоанализ",
            "ежемесячно",
            "МБОУ «Русскинская СОШ»,\nмуниципальные координаторы",
            "",
        ],
        ["Модуль 2. Методическое направление", "", "", "", ""],
        ["2.1", "Семинар для кураторов", "10–15 октября 2023", "МБОУ «Нижнесортымская СОШ»", ""],
        ["", "", "Май 2023", "", "Без названия"],
        ["123456789012345678", "Слишком длинный номер", "Май 2023", "", ""],
    ]
    merges = [(0, 3, 0, 3, 4), (0, 8, 0, 8, 4), (0, 6, 3, 7, 3)]
    return rows, merges


@pytest.fixture(params=["docx", "xlsx"])
def awkward_tables(request):
    rows, merges = awkward_rows()
    if request.param == "docx":
        return read_tables(docx_file(rows, merges=merges), "приказ.docx")
    return read_tables(xlsx_file(rows, merges=merges), "план.xlsx")


def test_the_header_under_a_title_row_gives_every_column_its_meaning(awkward_tables):
    header, meanings = guess_columns(awkward_tables[0])
    assert header == 1
    assert meanings == [
        Meaning.NUMBER,
        Meaning.TITLE,
        Meaning.SCHEDULE,
        Meaning.RESPONSIBLE,
        Meaning.RESULT,
    ]


def test_an_awkward_table_reads_item_by_item(world, awkward_tables):
    plan = plan_import(awkward_tables, program=world.program, title="План")
    assert [(i.row, i.number, i.title) for i in plan.items] == [
        (5, "1.1", "Старт\nпроекта"),
        (7, "1.2", "Диагностика школ"),
        (8, "1.3", "Самоанализ"),
        (10, "2.1", "Семинар для кураторов"),
    ]
    first, second, third, fourth = plan.items
    # A line break inside a deadline is a space.
    assert first.schedule_text == "Январь- февраль 2023"
    assert (first.schedule.starts_on, first.schedule.due_on) == (
        date(2023, 1, 1),
        date(2023, 2, 28),
    )
    assert (second.schedule.starts_on, second.schedule.due_on) == (
        date(2023, 1, 1),
        date(2023, 3, 31),
    )
    assert third.undated and third.flags[0] == "повторяется ежемесячно, единого срока нет"
    assert (fourth.schedule.starts_on, fourth.schedule.due_on) == (
        date(2023, 10, 10),
        date(2023, 10, 15),
    )
    # Merged headings are modules, created once each; the numbering prefix is not the name.
    assert [m.title for m in plan.new_modules] == [
        "Организационное направление",
        "Методическое направление",
    ]
    assert [i.module.title for i in plan.items] == [
        "Организационное направление",
        "Организационное направление",
        "Организационное направление",
        "Методическое направление",
    ]
    # The responsible cell merged down over two items names the school for each of them.
    assert first.responsible == [world.authority]
    assert second.responsible == third.responsible == [world.supported_school]
    assert second.unmatched == third.unmatched == ["муниципальные координаторы"]
    assert fourth.responsible == [world.curator_school]
    assert [(s.row, s.reason) for s in plan.skipped] == [
        (11, "Нет названия мероприятия."),
        (12, "Номер длиннее 16 знаков: «123456789012345678»."),
    ]
    assert plan.empty_rows == 1 and plan.is_valid


def test_an_existing_module_is_found_by_its_name_in_the_heading(world, awkward_tables):
    module = f.ModuleFactory(program=world.program, title="Методическое направление")
    plan = plan_import(awkward_tables, program=world.program, title="План")
    assert plan.items[-1].module.module == module
    assert [m.title for m in plan.new_modules] == ["Организационное направление"]


def test_applying_saves_everything_in_one_go(world, awkward_tables):
    roadmap = f.RoadmapFactory(program=world.program)
    f.RoadmapItemFactory(roadmap=roadmap, order=7, title="Уже было")
    plan = plan_import(awkward_tables, program=world.program, roadmap=roadmap)
    summary = plan.apply()
    assert summary == {"roadmap": roadmap, "items": 4, "modules": 2}
    items = list(roadmap.items.order_by("order"))
    assert [(i.order, i.title) for i in items] == [
        (7, "Уже было"),
        (8, "Старт\nпроекта"),
        (9, "Диагностика школ"),
        (10, "Самоанализ"),
        (11, "Семинар для кураторов"),
    ]
    diagnosis = items[2]
    assert diagnosis.responsible_note == "МБОУ «Русскинская СОШ»,\nмуниципальные координаторы"
    assert list(diagnosis.responsible.all()) == [world.supported_school]
    assert diagnosis.expected_result == "Проведена диагностика"
    assert (items[3].starts_on, items[3].due_on) == (None, None)
    assert diagnosis.history.last().history_type == "+"  # the import is in its history


def test_a_failure_while_saving_leaves_nothing(world, awkward_tables, monkeypatch):
    plan = plan_import(awkward_tables, program=world.program, title="План")
    calls = []

    def fail_on_third(self, *args, **kwargs):
        calls.append(self.title)
        if len(calls) == 3:
            raise RuntimeError("диск заполнен")
        return original(self, *args, **kwargs)

    original = RoadmapItem.save
    monkeypatch.setattr(RoadmapItem, "save", fail_on_third)
    with pytest.raises(RuntimeError):
        plan.apply()
    assert not world.program.roadmaps.exists()
    assert not world.program.modules.exists()


def test_the_columns_the_person_chooses_win_over_the_guess(world, awkward_tables):
    meanings = [Meaning.SKIP, Meaning.TITLE, Meaning.SKIP, Meaning.SKIP, Meaning.RESULT]
    plan = plan_import(awkward_tables, program=world.program, title="План", meanings=meanings)
    assert plan.items[0].number == "" and plan.items[0].schedule_text == ""
    assert plan.items[0].flags == ["срок не указан"]


@pytest.mark.parametrize(
    ("meanings", "message"),
    [
        ([Meaning.NUMBER, Meaning.SKIP, Meaning.SCHEDULE], "Укажите столбец с названием"),
        (
            [Meaning.NUMBER, Meaning.TITLE, Meaning.SCHEDULE, Meaning.SCHEDULE],
            "«Сроки» выбрано для нескольких столбцов: 3, 4.",
        ),
    ],
)
def test_columns_that_cannot_be_read_are_named(world, awkward_tables, meanings, message):
    plan = plan_import(awkward_tables, program=world.program, title="План", meanings=meanings)
    assert not plan.is_valid and message in plan.errors[0]
    with pytest.raises(ValueError):
        plan.apply()


def test_the_person_picks_the_plan_among_several_tables(world):
    signatures = [["Согласовано", "Подпись"], ["Директор", "И.И. Иванов"]]
    plan_table = [
        ["№", "Наименование мероприятия", "Срок реализации"],
        ["1", "Семинар", "II полугодие 2023"],
    ]
    tables = read_tables(docx_file(signatures, plan_table), "приказ.docx")
    assert [t.label for t in tables] == ["Таблица 1", "Таблица 2"]
    first = plan_import(tables, program=world.program, title="План")
    assert not first.is_valid and "Укажите столбец с названием" in first.errors[0]
    second = plan_import(tables, program=world.program, title="План", table_index=1)
    assert [(i.title, i.schedule.starts_on) for i in second.items] == [
        ("Семинар", date(2023, 7, 1))
    ]


def test_a_table_without_a_header_is_read_once_the_columns_are_set(world):
    rows = [["1", "Семинар", "Май 2023"], ["2", "Вебинар", "Июнь 2023"]]
    tables = read_tables(xlsx_file(rows), "план.xlsx")
    guessed = plan_import(tables, program=world.program, title="План")
    assert guessed.header_row is None and not guessed.is_valid
    plan = plan_import(
        tables,
        program=world.program,
        title="План",
        meanings=[Meaning.NUMBER, Meaning.TITLE, Meaning.SCHEDULE],
    )
    assert [i.title for i in plan.items] == ["Семинар", "Вебинар"]


def test_an_abbreviation_defined_in_the_table_names_the_organization_later(world):
    world.authority.name = "Департамент образования и молодёжной политики Сургутского района"
    world.authority.save()
    rows = [
        HEADER,
        ["1", "Приказ", "Май 2023", "Департамент образования и молодежной политики Сургутского района (далее – ДОиМП)", ""],
        ["2", "Мониторинг", "Июнь 2023", "ДОиМП", ""],
    ]  # fmt: skip
    plan = plan_import(read_tables(docx_file(rows), "п.docx"), program=world.program, title="П")
    assert [i.responsible for i in plan.items] == [[world.authority], [world.authority]]
    assert [i.unmatched for i in plan.items] == [[], []]


def test_organizations_outside_the_program_are_not_matched(world):
    rows = [HEADER, ["1", "Семинар", "Май 2023", "МАОУ «СОШ №2»", ""]]
    plan = plan_import(read_tables(docx_file(rows), "п.docx"), program=world.program, title="П")
    assert plan.items[0].responsible == []
    assert plan.items[0].unmatched == ["МАОУ «СОШ №2»"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "план.docx", "Файл пуст."),
        (b"%PDF-1.4 not a plan", "план.docx", "Файл повреждён"),
        (b"just text", "план.txt", "Нужен документ Word (.docx) или книга Excel (.xlsx)."),
        (docx_file([["только одна строка", "и всё"]]), "план.docx", "В файле нет таблицы"),
    ],
)
def test_files_that_hold_no_plan_are_refused_in_russian(content, name, message):
    with pytest.raises(ImportFileError) as error:
        read_tables(content, name)
    assert message in str(error.value)


def test_a_package_that_unpacks_beyond_the_bound_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b" " * (51 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ImportFileError) as error:
        read_tables(buffer.getvalue(), "бомба.docx")
    assert "Файл не принят" in str(error.value)
    assert "распаковывается" in str(error.value)


def test_a_table_longer_than_a_plan_is_refused(monkeypatch):
    monkeypatch.setattr("roadmaps.importer.reading.MAX_ROWS", 3)
    rows = [HEADER] + [[str(n), "Семинар", "Май 2023", "", ""] for n in range(5)]
    with pytest.raises(ImportFileError) as error:
        read_tables(xlsx_file(rows), "план.xlsx")
    assert "больше 3 строк" in str(error.value)


def test_formatting_below_the_table_does_not_count_as_rows(monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.setattr("roadmaps.importer.reading.MAX_ROWS", 5)
    book = load_workbook(io.BytesIO(xlsx_file([HEADER, ["1", "Семинар", "Май 2023", "", ""]])))
    book.active.cell(row=500, column=2).number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    (table,) = read_tables(buffer.getvalue(), "план.xlsx")
    assert len(table.rows) == 2


def test_a_name_wrapped_onto_the_next_line_of_the_cell_is_one_organization(world):
    world.authority.name = "Департамент образования и молодёжной политики администрации района"
    world.authority.save()
    cell = "Департамент образования и молодёжной политики\nадминистрации района,\nМБОУ «Русскинская СОШ»"
    rows = [HEADER, ["1", "Приказ", "Май 2023", cell, ""]]
    plan = plan_import(read_tables(docx_file(rows), "п.docx"), program=world.program, title="П")
    assert plan.items[0].responsible == [world.authority, world.supported_school]
    assert plan.items[0].unmatched == []


_CELLS = st.sampled_from(
    ["", "1", "1.1", "Модуль 1. Есть проект", "Семинар", "Май 2023", "ежемесячно", "I квартал",
     "МБОУ «Русскинская СОШ»", "(далее – X)", "«", "\n", "№", "Сроки", "Мероприятие", "x" * 400]
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(_CELLS, min_size=1, max_size=6), min_size=1, max_size=12))
def test_any_table_gives_a_plan_and_never_raises(world, rows):
    width = max(len(row) for row in rows)
    table = Table(0, "Таблица 1", [row + [""] * (width - len(row)) for row in rows])
    plan = plan_import([table], program=world.program, title="П")
    assert plan.is_valid == (not plan.errors and bool(plan.items))
    read_rows = {i.row for i in plan.items} | {s.row for s in plan.skipped}
    assert len(read_rows) == len(plan.items) + len(plan.skipped)


def test_an_item_whose_result_repeats_its_title_is_no_heading(world):
    rows = [HEADER, ["1", "Семинар", "", "", "Семинар"]]
    plan = plan_import(read_tables(docx_file(rows), "п.docx"), program=world.program, title="П")
    assert [i.title for i in plan.items] == ["Семинар"] and not plan.modules


@pytest.mark.parametrize(
    ("header", "meaning"),
    [
        ("Наименование мероприятия", Meaning.TITLE),
        ("Мероприятия по направлениям", Meaning.TITLE),
        ("Направление деятельности", Meaning.MODULE),
        ("Срок исполнения", Meaning.SCHEDULE),
        ("Ответственные исполнители", Meaning.RESPONSIBLE),
        ("Результат (показатель реализации мероприятия)", Meaning.RESULT),
        ("Примечание", Meaning.SKIP),
    ],
)
def test_headers_as_orders_write_them(header, meaning):
    table = Table(0, "Таблица 1", [["№ п/п", header, "Сроки"], ["1", "x", "май"]])
    assert guess_columns(table)[1][1] == meaning
