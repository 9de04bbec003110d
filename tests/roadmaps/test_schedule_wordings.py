"""Deadline wordings beyond months and dates: quarters, half-years, school years, day ranges,
«с … по …» and repetition within a year — one test per family, and the parser never raises."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.schedule import Schedule, parse_schedule


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("I квартал 2024", None, (date(2024, 1, 1), date(2024, 3, 31))),
        ("IV кв.", 2023, (date(2023, 10, 1), date(2023, 12, 31))),
        ("3 квартал", 2023, (date(2023, 7, 1), date(2023, 9, 30))),
        ("1-й квартал 2024 г.", None, (date(2024, 1, 1), date(2024, 3, 31))),
        ("во втором квартале 2024", None, (date(2024, 4, 1), date(2024, 6, 30))),
        ("III–IV кварталы 2023", None, (date(2023, 7, 1), date(2023, 12, 31))),
        ("4 квартал 2023 - 1 квартал 2024", None, (date(2023, 10, 1), date(2024, 3, 31))),
        ("IV квартал - I квартал 2024", None, (date(2023, 10, 1), date(2024, 3, 31))),
    ],
)
def test_quarters(text, year, expected):
    assert parse_schedule(text, year=year) == Schedule(*expected)


def test_quarter_without_any_year_gives_nothing():
    assert not parse_schedule("3 квартал")


def test_deadline_at_the_end_of_a_quarter():
    assert parse_schedule("до конца I квартала 2024") == Schedule(None, date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("1 полугодие", 2023, (date(2023, 1, 1), date(2023, 6, 30))),
        ("II полугодие 2023", None, (date(2023, 7, 1), date(2023, 12, 31))),
        ("второе полугодие", 2024, (date(2024, 7, 1), date(2024, 12, 31))),
        ("в первом полугодии 2022 года", None, (date(2022, 1, 1), date(2022, 6, 30))),
        ("2-е полугодие 2023", None, (date(2023, 7, 1), date(2023, 12, 31))),
    ],
)
def test_half_years(text, year, expected):
    assert parse_schedule(text, year=year) == Schedule(*expected)


def test_a_third_half_year_is_no_half_year():
    assert parse_schedule("3 полугодие", year=2023) == Schedule(None, None)


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2023–2024 учебный год", None, (date(2023, 9, 1), date(2024, 5, 31))),
        ("2023/2024 учебного года", None, (date(2023, 9, 1), date(2024, 5, 31))),
        ("2023-24 уч. год", None, (date(2023, 9, 1), date(2024, 5, 31))),
        ("в течение 2022-2023 учебного года", 2025, (date(2022, 9, 1), date(2023, 5, 31))),
        # No years written: the school year that begins in the program's year.
        ("в течение учебного года", 2023, (date(2023, 9, 1), date(2024, 5, 31))),
        ("Учебный год", 2021, (date(2021, 9, 1), date(2022, 5, 31))),
    ],
)
def test_school_years_run_from_september_to_may(text, year, expected):
    assert parse_schedule(text, year=year) == Schedule(*expected)


def test_months_of_a_school_year_keep_their_own_dates():
    assert parse_schedule("сентябрь - декабрь 2023 учебного года") == Schedule(
        date(2023, 9, 1), date(2023, 12, 31)
    )


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("10–15 октября 2023", None, (date(2023, 10, 10), date(2023, 10, 15))),
        ("10-15 октября", 2024, (date(2024, 10, 10), date(2024, 10, 15))),
        ("28 - 31 декабря 2023 г.", None, (date(2023, 12, 28), date(2023, 12, 31))),
        ("10-15.10.2023", None, (date(2023, 10, 10), date(2023, 10, 15))),
    ],
)
def test_day_ranges(text, year, expected):
    assert parse_schedule(text, year=year) == Schedule(*expected)


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("с 10 по 15 октября", 2023, (date(2023, 10, 10), date(2023, 10, 15))),
        ("с 1 сентября по 31 декабря 2023", None, (date(2023, 9, 1), date(2023, 12, 31))),
        ("с 01.09.2023 по 31.05.2024", None, (date(2023, 9, 1), date(2024, 5, 31))),
        ("с сентября по декабрь 2023 года", None, (date(2023, 9, 1), date(2023, 12, 31))),
        ("с ноября 2023 по февраль 2024", None, (date(2023, 11, 1), date(2024, 2, 29))),
    ],
)
def test_from_to(text, year, expected):
    assert parse_schedule(text, year=year) == Schedule(*expected)


@pytest.mark.parametrize(
    ("text", "every", "words"),
    [
        ("ежемесячно", "month", "ежемесячно"),
        ("Ежемесячно, до 25 числа", "month", "ежемесячно"),
        ("ежеквартально", "quarter", "ежеквартально"),
        ("Ежеквартальный отчёт", "quarter", "ежеквартально"),
        ("еженедельно", "week", "еженедельно"),
    ],
)
def test_repetition_within_a_year_names_no_single_date(text, every, words):
    schedule = parse_schedule(text, year=2023)
    assert (schedule.starts_on, schedule.due_on) == (None, None)
    assert schedule.every == every
    assert schedule.repetition == words
    assert not schedule.recurring  # only yearly repetition is stored on the item


def test_repetition_within_named_months_keeps_the_months():
    schedule = parse_schedule("ежеквартально в течение 2023 года")
    assert (schedule.starts_on, schedule.due_on, schedule.every) == (
        date(2023, 1, 1),
        date(2023, 12, 31),
        "quarter",
    )


def test_yearly_repetition_is_said_as_such():
    assert parse_schedule("ежегодно").repetition == "ежегодно"
    assert parse_schedule("май 2023").repetition == ""


_WORDS = st.sampled_from(
    [
        "I", "IV", "ii", "кв", "квартал", "кварталы", "полугодие", "второе", "учебный", "год",
        "года", "уч", "с", "по", "до", "в течение", "ежемесячно", "ежеквартально", "постоянно",
        "октября", "май", "-", "–", "/", ",", ".", "2023", "2024", "24", "10", "15", "31.05.2023",
        "05.2023", "й", "е", "(", ")", "\n", "0", "9999", "3",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(_WORDS, max_size=12),
    year=st.one_of(st.none(), st.integers(min_value=-5, max_value=10_000)),
)
def test_plan_like_wording_never_raises(words, year):
    schedule = parse_schedule(
        " ".join(words), year=year, period=(date(2023, 1, 1), date(2024, 12, 31))
    )
    if schedule.starts_on and schedule.due_on:
        assert schedule.starts_on <= schedule.due_on


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), year=st.one_of(st.none(), st.integers()))
def test_any_text_never_raises(text, year):
    assert isinstance(parse_schedule(text, year=year), Schedule)
