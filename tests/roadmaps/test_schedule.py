"""Tests for roadmaps.schedule: deadline wordings as written by education authorities."""

import calendar
from datetime import date

import pytest

from roadmaps.schedule import Schedule, parse_schedule

PERIOD = (date(2021, 1, 11), date(2023, 5, 31))
NOTHING = Schedule(None, None)


def month_span(year: int, first: int, last: int | None = None) -> Schedule:
    """Schedule from the 1st of month ``first`` to the end of month ``last``."""
    last = last or first
    return Schedule(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]))


# --- The rules, one test per rule ------------------------------------------------


def test_month_with_year() -> None:
    assert parse_schedule("Январь 2023") == Schedule(date(2023, 1, 1), date(2023, 1, 31))


def test_month_range_with_year() -> None:
    assert parse_schedule("Январь-февраль 2023") == Schedule(date(2023, 1, 1), date(2023, 2, 28))


def test_long_month_range_with_year() -> None:
    assert parse_schedule("Февраль-декабрь 2023") == Schedule(date(2023, 2, 1), date(2023, 12, 31))


def test_month_without_year_uses_program_year() -> None:
    assert parse_schedule("Май", year=2023) == Schedule(date(2023, 5, 1), date(2023, 5, 31))


def test_month_without_any_year_gives_nothing() -> None:
    assert parse_schedule("Май") == NOTHING
    assert parse_schedule("Май", year=None) == NOTHING


def test_list_of_months_runs_from_first_to_last() -> None:
    assert parse_schedule("Сентябрь, октябрь, ноябрь", year=2023) == Schedule(
        date(2023, 9, 1), date(2023, 11, 30)
    )


def test_month_range_uses_program_year() -> None:
    assert parse_schedule("Октябрь-ноябрь", year=2023) == Schedule(
        date(2023, 10, 1), date(2023, 11, 30)
    )


def test_lowercase_month_with_year() -> None:
    assert parse_schedule("декабрь 2020") == Schedule(date(2020, 12, 1), date(2020, 12, 31))


def test_range_with_loose_dash_and_line_break_before_year() -> None:
    assert parse_schedule("август- декабрь\n2021") == Schedule(date(2021, 8, 1), date(2021, 12, 31))


def test_range_then_yearly() -> None:
    assert parse_schedule("Март- май 2021 года, далее ежегодно") == Schedule(
        date(2021, 3, 1), date(2021, 5, 31), recurring=True
    )


def test_yearly_then_month() -> None:
    assert parse_schedule("Ежегодно, Август 2021") == Schedule(
        date(2021, 8, 1), date(2021, 8, 31), recurring=True
    )


def test_month_then_yearly_uses_program_year() -> None:
    assert parse_schedule("Август, ежегодно", year=2021) == Schedule(
        date(2021, 8, 1), date(2021, 8, 31), recurring=True
    )


def test_single_date_is_a_deadline() -> None:
    assert parse_schedule("31.05.2023") == Schedule(None, date(2023, 5, 31))


def test_during_the_year_is_the_program_year() -> None:
    assert parse_schedule("В течение года", year=2023) == Schedule(
        date(2023, 1, 1), date(2023, 12, 31)
    )


def test_during_the_year_with_remark() -> None:
    assert parse_schedule("В течение года (при необходимости)", year=2023) == Schedule(
        date(2023, 1, 1), date(2023, 12, 31)
    )


def test_during_the_year_without_program_year_gives_nothing() -> None:
    assert parse_schedule("в течение года") == NOTHING


def test_continuous_spans_the_program_period() -> None:
    assert parse_schedule("постоянно", period=PERIOD) == Schedule(*PERIOD)


def test_continuous_without_period_gives_nothing() -> None:
    assert parse_schedule("постоянно") == NOTHING


def test_continuous_starting_from_month_runs_to_period_end() -> None:
    assert parse_schedule("постоянно, начиная с\nянваря 2021", period=PERIOD) == Schedule(
        date(2021, 1, 1), date(2023, 5, 31)
    )


def test_continuous_starting_from_month_without_period_is_open_ended() -> None:
    assert parse_schedule("постоянно, начиная с\nянваря 2021") == Schedule(date(2021, 1, 1), None)


def test_continuous_from_genitive_month() -> None:
    assert parse_schedule("постоянно, с сентября 2021", period=PERIOD) == Schedule(
        date(2021, 9, 1), date(2023, 5, 31)
    )


def test_month_then_continuous() -> None:
    assert parse_schedule("Январь 2021, постоянно", period=PERIOD) == Schedule(
        date(2021, 1, 1), date(2023, 5, 31)
    )
    assert parse_schedule("Январь 2021, постоянно") == Schedule(date(2021, 1, 1), None)


@pytest.mark.parametrize(
    ("text", "starts_on"),
    [
        ("Октябрь 2021, постоянно", date(2021, 10, 1)),
        ("Сентябрь 2021\nпостоянно", date(2021, 9, 1)),
    ],
)
def test_month_then_continuous_runs_to_period_end(text: str, starts_on: date) -> None:
    assert parse_schedule(text, period=PERIOD) == Schedule(starts_on, date(2023, 5, 31))


def test_continuous_with_named_range_keeps_the_range_end() -> None:
    assert parse_schedule("Сентябрь 2021-2023 год постоянно", period=PERIOD) == Schedule(
        date(2021, 9, 1), date(2023, 12, 31)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-2022 год", Schedule(date(2021, 1, 1), date(2022, 12, 31))),
        ("2022-2023 год", Schedule(date(2022, 1, 1), date(2023, 12, 31))),
        ("2021-2022", Schedule(date(2021, 1, 1), date(2022, 12, 31))),
    ],
)
def test_year_ranges(text: str, expected: Schedule) -> None:
    assert parse_schedule(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Февраль – март 2021", month_span(2021, 2, 3)),
        ("Март-май 2021", month_span(2021, 3, 5)),
        ("Январь 2021", month_span(2021, 1)),
        ("Март 2021", month_span(2021, 3)),
    ],
)
def test_months_of_a_named_year(text: str, expected: Schedule) -> None:
    assert parse_schedule(text) == expected


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("январь - февраль", 1, 2),
        ("Январь-февраль", 1, 2),
        ("Апрель-сентябрь", 4, 9),
        ("Апрель-май", 4, 5),
        ("февраль", 2, 2),
        ("март", 3, 3),
        ("апрель", 4, 4),
        ("июнь", 6, 6),
        ("август", 8, 8),
        ("ноябрь", 11, 11),
        ("ноябрь-декабрь", 11, 12),
        ("декабрь", 12, 12),
        ("Июнь", 6, 6),
        ("Сентябрь", 9, 9),
        ("Октябрь", 10, 10),
        ("Ноябрь", 11, 11),
        ("Декабрь", 12, 12),
    ],
)
def test_months_of_the_program_year(text: str, first: int, last: int) -> None:
    assert parse_schedule(text, year=2023) == month_span(2023, first, last)


@pytest.mark.parametrize(
    "text",
    [
        "по договору",
        "По запросу ОО",
        "по графику Минпросвещения РФ",
        "по графику Минпросве-щения РФ, ДОиМП ХМАО-ЮГРЫ",
        "Два раза в год",
        "",
        "   ",
    ],
)
def test_wordings_without_dates_give_nothing(text: str) -> None:
    schedule = parse_schedule(text, year=2023)
    assert schedule == NOTHING
    assert not schedule


def test_leap_february() -> None:
    assert parse_schedule("Февраль 2024") == Schedule(date(2024, 2, 1), date(2024, 2, 29))


# --- Robustness -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ЯНВАРЬ 2023", "январь 2023", "яНвАрЬ 2023"])
def test_any_letter_case(text: str) -> None:
    assert parse_schedule(text) == month_span(2023, 1)


def test_yo_is_read_as_ye() -> None:
    assert parse_schedule("постоянно, в январё 2021") == Schedule(date(2021, 1, 1), None)
    assert parse_schedule("Постоянно, с сентября 2021, ещё раз") == Schedule(date(2021, 9, 1), None)


@pytest.mark.parametrize(
    "text",
    [
        "Февраль-март 2021",
        "Февраль - март 2021",
        "Февраль– март 2021",
        "Февраль –март 2021",
        "Февраль — март 2021",
        "Февраль\u2011март 2021",  # non-breaking hyphen
    ],
)
def test_any_dash_with_or_without_spaces(text: str) -> None:
    assert parse_schedule(text) == month_span(2021, 2, 3)


def test_line_breaks_are_spaces() -> None:
    assert parse_schedule("Март\r\n-\nмай\n2021\n") == month_span(2021, 3, 5)


@pytest.mark.parametrize("text", ["сен-\nтября 2021", "сен-тября 2021", "сен\u00adтября 2021"])
def test_soft_hyphenation_inside_a_month(text: str) -> None:
    assert parse_schedule(text) == month_span(2021, 9)


def test_soft_hyphenation_inside_a_keyword() -> None:
    assert parse_schedule("посто-\nянно", period=PERIOD) == Schedule(*PERIOD)


@pytest.mark.parametrize(
    "text",
    ["Март 2021 год", "Март 2021 года", "Март 2021 г.", "Март 2021г.", "Март 2021 гг."],
)
def test_year_words_after_years(text: str) -> None:
    assert parse_schedule(text) == month_span(2021, 3)


@pytest.mark.parametrize("text", ["2021 – 2023 гг.", "2021-2023гг.", "2021 - 2023 годы"])
def test_year_range_with_year_words(text: str) -> None:
    assert parse_schedule(text) == Schedule(date(2021, 1, 1), date(2023, 12, 31))


@pytest.mark.parametrize("text", ["Март 2021.", "Март 2021;", "Март 2021 !", "«Март 2021»"])
def test_trailing_punctuation(text: str) -> None:
    assert parse_schedule(text) == month_span(2021, 3)


def test_parenthesised_remark_is_ignored() -> None:
    # The remark's year must not widen the deadline.
    assert parse_schedule("Январь 2023 (по итогам 2022 года)") == month_span(2023, 1)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("января 2021", 1),
        ("с февраля 2021", 2),
        ("марта 2021", 3),
        ("апреля 2021", 4),
        ("мая 2021", 5),
        ("в мае 2021", 5),
        ("июня 2021", 6),
        ("июля 2021", 7),
        ("августа 2021", 8),
        ("сентября 2021", 9),
        ("октября 2021", 10),
        ("ноября 2021", 11),
        ("декабря 2021", 12),
    ],
)
def test_genitive_and_other_case_forms(text: str, month: int) -> None:
    schedule = parse_schedule(text)
    assert schedule.starts_on == date(2021, month, 1)


def test_range_wrapping_new_year_without_second_year() -> None:
    assert parse_schedule("Ноябрь-январь 2023") == Schedule(date(2022, 11, 1), date(2023, 1, 31))


def test_range_wrapping_new_year_with_both_years() -> None:
    assert parse_schedule("декабрь 2022 – январь 2023") == Schedule(
        date(2022, 12, 1), date(2023, 1, 31)
    )


def test_range_wrapping_new_year_in_program_year_runs_forward() -> None:
    assert parse_schedule("Ноябрь-январь", year=2023) == Schedule(
        date(2023, 11, 1), date(2024, 1, 31)
    )


def test_month_after_last_named_year_continues_from_it() -> None:
    assert parse_schedule("Ноябрь 2022 - февраль") == Schedule(date(2022, 11, 1), date(2023, 2, 28))


def test_named_year_wins_over_program_year() -> None:
    assert parse_schedule("Март 2021", year=2023) == month_span(2021, 3)


def test_single_year_is_the_whole_year() -> None:
    assert parse_schedule("2022") == Schedule(date(2022, 1, 1), date(2022, 12, 31))


def test_date_range() -> None:
    assert parse_schedule("01.09.2021 - 31.05.2023") == Schedule(
        date(2021, 9, 1), date(2023, 5, 31)
    )


@pytest.mark.parametrize("text", ["до 31.05.2023", "до 31 мая 2023 года", "не позднее 31.05.2023"])
def test_deadline_words(text: str) -> None:
    assert parse_schedule(text) == Schedule(None, date(2023, 5, 31))


def test_deadline_month() -> None:
    assert parse_schedule("не позднее мая 2023") == Schedule(None, date(2023, 5, 31))


def test_from_to_range() -> None:
    assert parse_schedule("с января по март 2023") == month_span(2023, 1, 3)


def test_starting_from_month_without_continuous_word_is_open_ended() -> None:
    assert parse_schedule("с сентября 2021", period=PERIOD) == Schedule(
        date(2021, 9, 1), date(2023, 5, 31)
    )
    assert parse_schedule("с сентября 2021") == Schedule(date(2021, 9, 1), None)


def test_open_end_never_precedes_the_start() -> None:
    assert parse_schedule("Январь 2025, постоянно", period=PERIOD) == Schedule(
        date(2025, 1, 1), None
    )


def test_month_and_year_in_digits() -> None:
    assert parse_schedule("05.2023") == month_span(2023, 5)


@pytest.mark.parametrize("text", ["каждый год в марте 2021", "ежегодный отчёт, март 2021"])
def test_other_yearly_words(text: str) -> None:
    assert parse_schedule(text) == Schedule(date(2021, 3, 1), date(2021, 3, 31), recurring=True)


@pytest.mark.parametrize("text", ["Два раза в год", "постоянно", "ежемесячно, март 2021"])
def test_other_repetition_is_not_recurring(text: str) -> None:
    assert parse_schedule(text, period=PERIOD).recurring is False


def test_yearly_alone_names_no_dates() -> None:
    schedule = parse_schedule("ежегодно")
    assert (schedule.starts_on, schedule.due_on, schedule.recurring) == (None, None, True)
    assert not schedule


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2023",  # no such day
        "45.13.2023",
        "99 мая 2023",
        "01.09.2021 - 31.02.2023",  # half a range would give wrong dates
        "в течение учебного года",  # the school year is not guessed
        "1000 участников",
        "((((",
        "))) - ,,, ––",
        "\x00\ufeff\u200b",
        "январь" * 1000,
        "9" * 5000,
    ],
)
def test_nonsense_gives_nothing_and_never_raises(text: str) -> None:
    assert parse_schedule(text) == NOTHING


@pytest.mark.parametrize("text", [None, 2023, b"\xd0\x9c\xd0\xb0\xd0\xb9 2023"])
def test_non_text_gives_nothing(text: object) -> None:
    assert parse_schedule(text) == NOTHING  # type: ignore[arg-type]


def test_continuous_with_unplaceable_month_gives_nothing() -> None:
    assert parse_schedule("Сентябрь, постоянно", period=PERIOD) == NOTHING


def test_out_of_range_program_year_gives_nothing() -> None:
    assert parse_schedule("Май", year=0) == NOTHING
    assert parse_schedule("Ноябрь-январь", year=9999) == NOTHING


def test_schedule_truthiness() -> None:
    assert not Schedule(None, None)
    assert Schedule(date(2023, 1, 1), None)
    assert Schedule(None, date(2023, 1, 1))
    assert not Schedule(None, None, recurring=True)
