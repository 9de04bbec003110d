"""Derive start and due dates from free-text roadmap deadlines.

Russian education authorities write roadmap deadlines («срок реализации») as
free text: «Март- май 2021 года, далее ежегодно», «постоянно, с сентября 2021»,
«31.05.2023», «по графику Минпросвещения РФ». The portal keeps the wording as
written and calls :func:`parse_schedule` to derive a start and a due date
where the wording names dates.

The parser works in three small steps:

1. ``_tokenize`` normalises the text (case, «ё», dashes, line breaks, soft
   hyphenation, parenthesised remarks) and splits it into dates, years, month
   names, numbers, words, dashes and separators.
2. ``_points`` turns the tokens into *points* - a day, a month or a whole year -
   and ``_resolve_years`` gives every month a year: the one written next to it,
   or one borrowed from its neighbours when a range names the year once
   («январь-февраль 2023»), or the program's year.
3. ``parse_schedule`` reads the points together with a few marker words
   («постоянно», «с», «до», «ежегодно») to decide the start and the due date.

Besides months and dates, a point can be a part of a year written the way plans
write it: a quarter («I квартал 2024», «IV кв.», «3 квартал», «I–II кварталы»), a
half-year («1 полугодие», «II полугодие 2023», «второе полугодие»), a school year
(«2023–2024 учебный год», «в течение учебного года»: September to May), or a
range of days in one month («10–15 октября 2023»). Repetition more often than
yearly («ежемесячно», «ежеквартально») is recognised, but names no single date.

Wording the parser does not understand gives ``Schedule(None, None)``; it
never raises on any text.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

__all__ = ["Schedule", "parse_schedule"]


@dataclass(frozen=True)
class Schedule:
    """Dates derived from a deadline wording; both are ``None`` when it names none."""

    starts_on: date | None
    due_on: date | None
    # Only yearly repetition («ежегодно», «далее ежегодно») counts: «постоянно»
    # is continuous work and «два раза в год» names no dates to repeat.
    recurring: bool = False
    # Repetition within a year: "month" («ежемесячно»), "quarter»
    # («ежеквартально») or "week" («еженедельно»); such wording alone names no
    # single date, so the dates are left to the person.
    every: str = ""

    @property
    def repetition(self) -> str:
        """How the work repeats, in the plan's words: «ежемесячно», «ежегодно» or ""."""
        if self.every:
            return _EVERY_WORDS[self.every]
        return "ежегодно" if self.recurring else ""

    def __bool__(self) -> bool:
        return self.due_on is not None or self.starts_on is not None


# Nominative month names. The other case forms are derived from them by the
# regular declension below, so «января», «с сентября», «в мае» all match.
_MONTHS: dict[str, int] = {
    "январь": 1,
    "февраль": 2,
    "март": 3,
    "апрель": 4,
    "май": 5,
    "июнь": 6,
    "июль": 7,
    "август": 8,
    "сентябрь": 9,
    "октябрь": 10,
    "ноябрь": 11,
    "декабрь": 12,
}


def _declensions(name: str) -> set[str]:
    """Case forms of a month name; «ё» is already folded to «е» by then."""
    if name[-1] in "ьй":  # soft stem: январь, января, январе, январю, январем
        stem = name[:-1]
        return {name, *(stem + ending for ending in ("я", "е", "ю", "ем"))}
    # hard stem: март, марта, марте, марту, мартом
    return {name, *(name + ending for ending in ("а", "е", "у", "ом"))}


_MONTH_FORMS: dict[str, int] = {
    form: number for name, number in _MONTHS.items() for form in _declensions(name)
}

# Word stems that carry meaning; used to undo soft hyphenation («посто-янно»).
_KEYWORD_STEMS = (
    "постоянн",
    "ежегодн",
    "течени",
    "начиная",
    "квартал",
    "полугод",
    "учебн",
    "ежемесячн",
    "ежекварт",
    "еженедел",
)

# Repetition within a year, by the stem of its adverb, and how it is said.
_EVERY_STEMS = (("ежемесячн", "month"), ("ежекварт", "quarter"), ("еженедел", "week"))
_EVERY_WORDS = {"month": "ежемесячно", "quarter": "ежеквартально", "week": "еженедельно"}

# Numerals of quarters and half-years: Roman (Latin letters, as typed), and
# ordinal words in the forms plans use («первое полугодие», «во втором квартале»).
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINAL_STEMS = (("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4))
# Endings written after a digit: «1-й квартал», «2-е полугодие», «3-го квартала».
_ORDINAL_SUFFIXES = frozenset({"й", "го", "е", "ое", "ий", "ого", "ом", "м"})
# How many months a quarter and a half-year last.
_MONTHS_LONG = {"quarter": 3, "half": 6}

# «с сентября 2021», «начиная с января» - the named date opens an open-ended period.
_OPEN_START_WORDS = frozenset({"с", "со", "начиная"})
# «до 31.05.2023», «не позднее мая 2023» - the named date is only a deadline.
_DEADLINE_WORDS = frozenset({"до", "позднее", "позже"})
# Between two dates these words make a range: «с января по март 2023».
_RANGE_WORDS = frozenset({"по", "до"})
# «в течение [всего|календарного|текущего] года» means the program's year.
_YEAR_QUALIFIERS = frozenset({"всего", "календарного", "текущего"})
_YEAR_WORDS = frozenset({"год", "года", "году"})

_DASH = "-"

_TOKEN_RE = re.compile(
    r"""
      (?P<date>(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?!\d))   # 31.05.2023
    | (?P<month_year>(?<![\d.])\d{1,2}\.\d{4}(?!\d))      # 05.2023
    | (?P<year>(?<!\d)(?:19|20)\d{2}(?!\d))               # 2021, also in «2021г.»
    | (?P<number>\d+)                                     # a day in «31 мая»
    | (?P<word>[а-яa-z]+)
    | (?P<dash>[-‐‑‒–—−])                                # hyphen, en/em dash, minus
    | (?P<sep>[,;/])
    """,
    re.VERBOSE,
)

_Token = tuple[str, str]


def _is_meaningful(word: str) -> bool:
    return word in _MONTH_FORMS or word.startswith(_KEYWORD_STEMS)


def _tokenize(text: str) -> list[_Token]:
    """Split normalised text into (kind, value) tokens; dashes become ``"-"``."""
    text = text.lower().replace("ё", "е").replace("\u00ad", "")  # U+00AD: soft hyphen
    # Parenthesised remarks («(при необходимости)») qualify a deadline, they do
    # not name one; dropping them keeps their numbers from being read as dates.
    text = re.sub(r"\([^()]*\)", " ", text)
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or ""
        value = _DASH if kind == "dash" else match.group()
        tokens.append((kind, value))
    return _join_hyphenated(tokens)


def _join_hyphenated(tokens: list[_Token]) -> list[_Token]:
    """Undo soft hyphenation such as «сен-тября» or «посто-\\nянно».

    A hyphen between two words is also how ranges are written («январь-март»),
    so the halves are joined only when neither half means anything on its own
    but the joined word does. Other hyphenated words stay split, which is
    harmless because unknown words are ignored.
    """
    joined: list[_Token] = []
    i = 0
    while i < len(tokens):
        if (
            i + 2 < len(tokens)
            and tokens[i][0] == "word"
            and tokens[i + 1][0] == "dash"
            and tokens[i + 2][0] == "word"
        ):
            head, tail = tokens[i][1], tokens[i + 2][1]
            if (
                not _is_meaningful(head)
                and not _is_meaningful(tail)
                and _is_meaningful(head + tail)
            ):
                joined.append(("word", head + tail))
                i += 3
                continue
        joined.append(tokens[i])
        i += 1
    return joined


@dataclass
class _Point:
    """A named day, month or whole year (``month is None``) in the wording."""

    month: int | None
    year: int | None
    day: int | None = None
    # Words and dashes between the previous point (or the start) and this one.
    before: list[str] = field(default_factory=list)
    # A point longer than a month - a quarter, a half-year, a school year - ends
    # with this month, `years_later` years after it starts (a school year ends
    # in May of the next year).
    last_month: int | None = None
    years_later: int = 0

    @property
    def end_month(self) -> int | None:
        return self.last_month or self.month

    @property
    def linked(self) -> bool:
        """Whether a dash or «по»/«до» joins this point to the previous one."""
        return any(word == _DASH or word in _RANGE_WORDS for word in self.before)

    def span(self) -> tuple[date, date] | None:
        """First and last day of the point, or ``None`` if it is no real date."""
        if self.year is None:
            return None
        try:
            if self.month is None:
                return date(self.year, 1, 1), date(self.year, 12, 31)
            if self.day is not None:
                day = date(self.year, self.month, self.day)
                return day, day
            end_year, end_month = self.year + self.years_later, self.end_month
            last = calendar.monthrange(end_year, end_month)[1]
            return date(self.year, self.month, 1), date(end_year, end_month, last)
        except (ValueError, OverflowError):  # «31.02.2023», year out of range
            return None


def _year_after(tokens: list[_Token], i: int) -> tuple[int | None, int]:
    """The year written right after position ``i`` (commas allowed) and where it ends."""
    j = i + 1
    while j < len(tokens) and tokens[j][0] == "sep":
        j += 1
    if j < len(tokens) and tokens[j][0] == "year":
        return int(tokens[j][1]), j
    return None, i


def _month_point(tokens: list[_Token], i: int, day: int | None) -> tuple[_Point, int]:
    """A point for the month word at ``i`` with the year written after it, if any."""
    year, end = _year_after(tokens, i)
    return _Point(_MONTH_FORMS[tokens[i][1]], year, day), end


def _token(tokens: list[_Token], i: int) -> _Token:
    return tokens[i] if 0 <= i < len(tokens) else ("", "")


def _is_school_year_word(tokens: list[_Token], i: int) -> bool:
    """«учебный год», «учебного года», «уч. год» at position ``i``."""
    kind, value = _token(tokens, i)
    return (
        kind == "word"
        and (value.startswith("учебн") or value == "уч")
        and _token(tokens, i + 1)[1].startswith("год")
    )


def _school_year_at(tokens: list[_Token], i: int) -> tuple[_Point, int] | None:
    """«2023–2024 учебный год», «2023/24 учебного года» starting at the year at ``i``."""
    first = int(tokens[i][1])
    if _token(tokens, i + 1)[0] not in ("dash", "sep"):
        return None
    kind, value = _token(tokens, i + 2)
    if kind == "year":
        last = int(value)
    elif kind == "number" and len(value) == 2:  # «2023-24»
        last = first // 100 * 100 + int(value)
    else:
        return None
    if not first < last <= first + 10 or not _is_school_year_word(tokens, i + 3):
        return None
    return _Point(9, first, last_month=5, years_later=last - first), i + 4


def _numeral(token: _Token) -> int | None:
    """1-4 written as a digit, a Roman numeral or an ordinal word, else ``None``."""
    kind, value = token
    if kind == "number" and value in ("1", "2", "3", "4"):
        return int(value)
    if kind == "word":
        if value in _ROMAN:
            return _ROMAN[value]
        for stem, number in _ORDINAL_STEMS:
            if value.startswith(stem):
                return number
    return None


def _unit(value: str) -> str | None:
    if value.startswith("квартал") or value == "кв":
        return "quarter"
    if value.startswith("полугод") or value == "полуг":
        return "half"
    return None


def _part_of_year_at(tokens: list[_Token], i: int) -> tuple[_Point, int] | None:
    """A quarter or half-year («I квартал 2024», «1-2 кварталы», «второе полугодие»)
    whose first numeral is at ``i``; the point and the last position it took."""
    numbers: list[int] = []
    j = i
    while (number := _numeral(_token(tokens, j))) is not None:
        numbers.append(number)
        j += 1
        # «1-й», «2-е»: the ending after a digit's hyphen.
        if _token(tokens, j)[0] == "dash" and _token(tokens, j + 1)[1] in _ORDINAL_SUFFIXES:
            j += 2
        elif _token(tokens, j)[1] in _ORDINAL_SUFFIXES:
            j += 1
        # A range or a list of numerals: «I–II», «1, 2», «III и IV».
        link = _token(tokens, j)
        if (link[0] in ("dash", "sep") or link[1] == "и") and _numeral(
            _token(tokens, j + 1)
        ) is not None:
            j += 1
            continue
        break
    unit = _unit(_token(tokens, j)[1]) if numbers else None
    if unit is None:
        return None
    length = _MONTHS_LONG[unit]
    count = 12 // length
    if not all(1 <= number <= count for number in numbers):
        return None  # «3 полугодие»
    low, high = min(numbers), max(numbers)
    year, end = _year_after(tokens, j)
    point = _Point((low - 1) * length + 1, year, last_month=high * length)
    return point, end


def _day_range_at(tokens: list[_Token], i: int) -> tuple[_Point, int] | None:
    """The first day of «10–15 октября 2023», «с 10 по 15 октября» or «10-15.10.2023»: it takes
    the month and year of the day after it; returns it and the position of that second day."""
    if _token(tokens, i)[0] != "number":
        return None
    link = _token(tokens, i + 1)
    if not (link[0] == "dash" or link[1] in _RANGE_WORDS):
        return None
    if _token(tokens, i + 2)[0] == "date":
        _, month, year = (int(part) for part in tokens[i + 2][1].split("."))
        return _Point(month, year, int(tokens[i][1])), i + 2
    if _token(tokens, i + 2)[0] != "number" or _token(tokens, i + 3)[1] not in _MONTH_FORMS:
        return None
    year, _ = _year_after(tokens, i + 3)
    first = _Point(_MONTH_FORMS[tokens[i + 3][1]], year, int(tokens[i][1]))
    return first, i + 2


def _points(tokens: list[_Token], default_year: int | None) -> list[_Point]:
    points: list[_Point] = []
    before: list[str] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        point: _Point | None = None
        if kind == "date":
            day, month, year = (int(part) for part in value.split("."))
            point = _Point(month, year, day)
        elif kind == "month_year":
            month, year = (int(part) for part in value.split("."))
            point = _Point(month, year)
        elif kind == "year" and (found := _school_year_at(tokens, i)) is not None:
            point, i = found
        elif kind == "year":
            point = _Point(None, int(value))
        elif (found := _part_of_year_at(tokens, i)) is not None:
            point, i = found
        elif (found := _day_range_at(tokens, i)) is not None:
            first, i = found
            first.before = before
            points.append(first)
            before = [_DASH]
            continue
        elif kind == "word" and value in _MONTH_FORMS:
            point, i = _month_point(tokens, i, None)
        elif (
            kind == "number"
            and i + 1 < len(tokens)
            and tokens[i + 1][0] == "word"
            and tokens[i + 1][1] in _MONTH_FORMS
        ):
            point, i = _month_point(tokens, i + 1, int(value))
        elif kind == "word" and _is_school_year_word(tokens, i):
            # «в течение учебного года», «учебный год» with no years written: the
            # school year that begins in the program's year. After months
            # («сентябрь-декабрь 2023 учебного года») it only qualifies them.
            if default_year is not None and not points:
                point = _Point(9, default_year, last_month=5, years_later=1)
            i += 1
        elif kind == "word" and value == "течение":
            j = i + 1
            while j < len(tokens) and tokens[j][1] in _YEAR_QUALIFIERS:
                j += 1
            if j + 1 < len(tokens) and _is_school_year_word(tokens, j):
                i = j - 1  # the school-year words are read on the next step
            elif j < len(tokens) and tokens[j][1] in _YEAR_WORDS:
                # «в течение года» names no year: it is the program's year.
                if default_year is not None:
                    point = _Point(None, default_year)
                i = j
            else:
                before.append(value)
        elif kind in ("word", "dash"):
            before.append(value)
        if point is not None:
            point.before = before
            points.append(point)
            before = []
        i += 1
    return points


def _resolve_years(points: list[_Point], default_year: int | None) -> None:
    """Give a year to months written without one, in place."""
    # A year written once usually closes a whole range or list: «январь-февраль
    # 2023», «сентябрь, октябрь 2021». So a month first borrows the year of the
    # point after it. If that makes it later than the next month, the range
    # wraps over New Year: «ноябрь-январь 2023» starts in November 2022.
    following: _Point | None = None
    for point in reversed(points):
        if point.year is None and following is not None and following.year is not None:
            point.year = following.year
            if (
                following.month is not None
                and point.end_month is not None
                and point.end_month > following.month
            ):
                point.year -= 1
        following = point
    # Months after the last written year («март 2021 - май») continue from the
    # point before them; with no year written at all they fall in the
    # program's year, again wrapping forward over New Year.
    previous_year, previous_month = default_year, None
    for point in points:
        if point.year is None and previous_year is not None:
            point.year = previous_year
            if (
                previous_month is not None
                and point.month is not None
                and point.month < previous_month
            ):
                point.year += 1
        if point.year is not None:
            previous_year, previous_month = point.year + point.years_later, point.end_month


def _is_yearly(words: list[str]) -> bool:
    """«ежегодно», «ежегодный», «каждый год»: yearly repetition."""
    for word, following in pairwise([*words, ""]):
        if word.startswith("ежегодн"):
            return True
        if word.startswith("кажд") and following in _YEAR_WORDS:
            return True
    return False


def _every(words: list[str]) -> str:
    """Repetition within a year named by the wording: "month", "quarter", "week" or ""."""
    for word in words:
        for stem, every in _EVERY_STEMS:
            if word.startswith(stem):
                return every
    return ""


def _open_end(starts_on: date, period_end: date | None) -> date | None:
    """Due date of an open-ended period: the end of the program, if known.

    A due date before the start would only mislead, so it is dropped.
    """
    if period_end is not None and period_end < starts_on:
        return None
    return period_end


def parse_schedule(
    text: str,
    year: int | None = None,
    period: tuple[date, date] | None = None,
) -> Schedule:
    """Derive a start and a due date from a deadline wording.

    ``year`` is the program's year, used when the wording names no year.
    ``period`` is the program's (start, end), used for continuous wording
    («постоянно»). Unknown wording gives ``Schedule(None, None)``.
    """
    if not isinstance(text, str):
        return Schedule(None, None)
    if not isinstance(year, int):
        year = None
    period_start, period_end = period if period else (None, None)

    tokens = _tokenize(text)
    words = [value for kind, value in tokens if kind == "word"]
    recurring = _is_yearly(words)
    every = _every(words)
    continuous = any(word.startswith("постоянн") for word in words)

    points = _points(tokens, year)
    _resolve_years(points, year)
    if not points:
        # «постоянно» alone: the work runs through the whole program.
        if continuous:
            return Schedule(period_start, period_end, recurring, every)
        return Schedule(None, None, recurring, every)
    spans = [span for point in points if (span := point.span()) is not None]
    if len(spans) < len(points):
        # Some point cannot be placed: a month with no year anywhere, or no
        # such day («31.02.2023»). Dates from the rest of the wording would
        # be wrong, so none are derived.
        return Schedule(None, None, recurring, every)

    starts_on = min(start for start, _ in spans)
    due_on = max(end for _, end in spans)
    first = points[0]
    # A range written out («сентябрь 2021-2023 год», «с января по март») names
    # its own end, even when the work is called continuous.
    if not any(point.linked for point in points[1:]):
        if continuous or _OPEN_START_WORDS.intersection(first.before):
            return Schedule(starts_on, _open_end(starts_on, period_end), recurring, every)
        single_day = len(points) == 1 and first.day is not None
        if single_day or _DEADLINE_WORDS.intersection(first.before):
            return Schedule(None, due_on, recurring, every)
    return Schedule(starts_on, due_on, recurring, every)
