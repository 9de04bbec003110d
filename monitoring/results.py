"""Tables of assessment results (результаты оценочных процедур: ВПР, ОГЭ, ЕГЭ, regional
diagnostics) as coordinators receive them: one row per school, subject and grade, with the
participants and the counts (or shares) of marks «2»–«5», sometimes a mean mark or score.

This module reads such a table — .xlsx or .csv, title rows above the header allowed, the
columns guessed from their headers (`core.headers`, as the roadmap import guesses a plan
table's) — into `ResultRow`s and the rows it cannot read, and computes an indicator's measure
over the rows of its assessment's subjects and grades: shares over several subjects or grades
come from the summed counts, so each row weighs by its participants."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.db import models

from core.headers import column_meanings, header_row
from core.xlsx import ImportFileError, RowError, cell_text, normalize, read_csv_table, read_table


class Assessment(models.TextChoices):
    """Which assessment an indicator's values come from."""

    VPR = "vpr", "ВПР"
    OGE = "oge", "ОГЭ"
    EGE = "ege", "ЕГЭ"
    REGIONAL = "regional", "региональная диагностика"


class Measure(models.TextChoices):
    """What an indicator takes from the results."""

    SHARE_2 = "share_2", "доля «2» (неуспешность), %"
    QUALITY = "quality", "качество знаний: доля «4» и «5», %"
    SUCCESS = "success", "успеваемость: доля «3»–«5», %"
    MEAN_MARK = "mean_mark", "средняя отметка"
    MEAN_SCORE = "mean_score", "средний балл"


class Field(models.TextChoices):
    """What a column of a results table holds."""

    CODE = "code", "Код ОО (ФИС ОКО / РЦОИ)"
    INN = "inn", "ИНН"
    NAME = "name", "Наименование ОО"
    SUBJECT = "subject", "Предмет"
    GRADE = "grade", "Класс"
    PARTICIPANTS = "participants", "Участников"
    MARK_2 = "mark_2", "«2»"
    MARK_3 = "mark_3", "«3»"
    MARK_4 = "mark_4", "«4»"
    MARK_5 = "mark_5", "«5»"
    SHARE_2 = "share_2", "«2», %"
    SHARE_3 = "share_3", "«3», %"
    SHARE_4 = "share_4", "«4», %"
    SHARE_5 = "share_5", "«5», %"
    MEAN = "mean", "Средний балл"
    SKIP = "skip", "не загружать"


MARKS = (2, 3, 4, 5)
# The columns of the downloadable template, in its order.
TEMPLATE = (
    Field.CODE,
    Field.INN,
    Field.NAME,
    Field.SUBJECT,
    Field.GRADE,
    Field.PARTICIPANTS,
    Field.MARK_2,
    Field.MARK_3,
    Field.MARK_4,
    Field.MARK_5,
    Field.MEAN,
)

# «2», «Отметка "2"», «кол-во 2», «Количество отметок «5»»; with «%» or «доля» a share.
_MARK_RE = re.compile(r"(?:^|[^\d])([2-5])(?:[^\d]|$)")
_STEMS = (
    (Field.INN, ("инн",)),
    (Field.CODE, ("логин", "код")),
    (Field.SUBJECT, ("предмет", "дисциплин")),
    (Field.GRADE, ("класс", "параллел")),
    (Field.PARTICIPANTS, ("участник", "писавш", "выполнявш", "сдавав", "всего")),
    (Field.MEAN, ("средн",)),
    (Field.NAME, ("наименован", "название", "школа", "образовательн", "организаци", "оо")),
)


def meaning_of(text):
    """The field a header names, or None."""
    name = normalize(text)
    if not name:
        return None
    for meaning, stems in _STEMS:
        if any(stem in name for stem in stems):
            return meaning
    mark = _MARK_RE.search(name)
    if mark and len(name) <= 40:
        share = "%" in name or "дол" in name or "процент" in name
        return Field(f"{'share' if share else 'mark'}_{mark.group(1)}")
    return None


@dataclass
class ResultRow:
    """One school's result in one subject and grade, as the table gives it."""

    number: int
    code: str
    inn: str
    name: str
    subject: str
    grade: int | None
    participants: int
    marks: dict  # mark → count of participants with it
    mean: Decimal | None = None

    @property
    def key(self):
        """How the row names its school: code, else ИНН, else name."""
        return self.code or self.inn or self.name


@dataclass
class ResultsTable:
    rows: list
    errors: list = field(default_factory=list)
    header_number: int | None = None
    fields: list = field(default_factory=list)

    @property
    def subjects(self):
        return sorted({row.subject for row in self.rows})


def read_results(content, filename):
    """The table's rows and the rows it cannot read. Raises ImportFileError when the file as a
    whole is not a results table (not a workbook, no header naming a school and its results,
    or what `core.xlsx` refuses)."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        rows = read_csv_table(content)
    elif suffix == ".xlsx":
        rows = read_table(content)
    else:
        raise ImportFileError("Нужна таблица .xlsx или .csv.")
    cells = [[cell_text(v) for v in values] for _, values in rows]
    index = header_row(cells, meaning_of, enough=3)
    if index is None:
        raise ImportFileError(
            "Не найдена строка заголовков: в первых строках таблицы должны быть названы "
            "школа (код, ИНН или наименование), участники и отметки. Скачайте шаблон."
        )
    width = max(len(row) for row in cells)
    fields = column_meanings(cells[index], width, meaning_of, Field.SKIP)
    missing = _missing(fields)
    if missing:
        raise ImportFileError(missing)
    table = ResultsTable(rows=[], header_number=rows[index][0], fields=fields)
    for (number, _), values in zip(rows[index + 1 :], cells[index + 1 :], strict=True):
        row = dict.fromkeys(Field, "")
        for position, meaning in enumerate(fields):
            if meaning != Field.SKIP and position < len(values):
                row[meaning] = values[position]
        parsed = _parse(number, row)
        (table.errors if isinstance(parsed, RowError) else table.rows).append(parsed)
    return table


def _missing(fields):
    found = set(fields)
    if not found & {Field.CODE, Field.INN, Field.NAME}:
        return "Нет столбца, который называет школу: «Код ОО», «ИНН» или «Наименование ОО»."
    if Field.PARTICIPANTS not in found:
        return "Нет столбца с числом участников («Количество участников»)."
    if Field.SUBJECT not in found:
        return "Нет столбца «Предмет»."
    return None


class _Unreadable(Exception):
    """A cell that cannot be read; carries the row's `RowError`."""

    def __init__(self, number, column, message):
        super().__init__(message)
        self.error = RowError(number, column, message)


def _number(text, what, number):
    text = text.replace("\xa0", "").replace(" ", "").replace(",", ".").rstrip("%")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _Unreadable(number, what, f"«{text[:20]}» — не число.") from None
    if not value.is_finite() or value < 0:
        raise _Unreadable(number, what, f"«{text[:20]}» — не число от нуля.")
    return value


def _parse(number, row):
    """A `ResultRow`, or the `RowError` that says why the row cannot be read."""
    if not (row[Field.CODE] or row[Field.INN] or row[Field.NAME]):
        return RowError(
            number, Field.NAME.label, "Школа не названа: нет ни кода, ни ИНН, ни названия."
        )
    if not row[Field.SUBJECT]:
        return RowError(number, Field.SUBJECT.label, "Не указан предмет.")
    try:
        participants = _number(row[Field.PARTICIPANTS], Field.PARTICIPANTS.label, number)
        if participants != participants.to_integral_value() or participants == 0:
            return RowError(
                number, Field.PARTICIPANTS.label, "Число участников — целое, больше нуля."
            )
        participants = int(participants)
        grade = None
        if row[Field.GRADE]:
            digits = re.match(r"\s*(\d{1,2})", row[Field.GRADE])
            if not digits or not 1 <= int(digits.group(1)) <= 11:
                return RowError(number, Field.GRADE.label, "Класс — число от 1 до 11.")
            grade = int(digits.group(1))
        marks = {}
        for mark in MARKS:
            count, share = row[Field(f"mark_{mark}")], row[Field(f"share_{mark}")]
            if count:
                value = _number(count, Field(f"mark_{mark}").label, number)
                if value != value.to_integral_value():
                    return RowError(number, Field(f"mark_{mark}").label, "Число — целое.")
                marks[mark] = int(value)
            elif share:
                value = _number(share, Field(f"share_{mark}").label, number)
                if value > 100:
                    return RowError(number, Field(f"share_{mark}").label, "Доля — не больше 100 %.")
                # A share of participants, as the federal tables print it: back to a count.
                marks[mark] = int((value * participants / 100).to_integral_value(ROUND_HALF_UP))
        mean = _number(row[Field.MEAN], Field.MEAN.label, number) if row[Field.MEAN] else None
    except _Unreadable as unreadable:
        return unreadable.error
    if marks and sum(marks.values()) > participants:
        return RowError(
            number,
            Field.PARTICIPANTS.label,
            f"Отметок ({sum(marks.values())}) больше, чем участников ({participants}).",
        )
    return ResultRow(
        number=number,
        code=row[Field.CODE],
        inn=re.sub(r"\D", "", row[Field.INN]),
        name=row[Field.NAME],
        subject=row[Field.SUBJECT],
        grade=grade,
        participants=participants,
        marks=marks,
        mean=mean,
    )


def same_subject(a, b):
    """Subjects as tables spell them: «Русский язык» and «русский  язык» are one."""
    return normalize(a) == normalize(b)


def select(rows, subjects=(), grades=()):
    """The rows of these subjects and grades (all when none are given)."""
    return [
        row
        for row in rows
        if (not subjects or any(same_subject(row.subject, s) for s in subjects))
        and (not grades or row.grade in grades)
    ]


PLACES = Decimal("0.01")


def compute(rows, measure):
    """The measure over `rows` (one school's, already selected), or None when the rows do not
    hold what it needs. Shares and the mean mark come from the summed counts, so each row
    weighs by its participants; the mean score is the participants' weighted mean."""
    if not rows:
        return None
    if measure == Measure.MEAN_SCORE:
        weighed = [row for row in rows if row.mean is not None]
        people = sum(row.participants for row in weighed)
        if not people:
            return None
        total = sum(row.mean * row.participants for row in weighed)
        return (total / people).quantize(PLACES, ROUND_HALF_UP)
    if any(set(row.marks) != set(MARKS) for row in rows):
        return None
    counts = {mark: sum(row.marks[mark] for row in rows) for mark in MARKS}
    if measure == Measure.MEAN_MARK:
        marked = sum(counts.values())
        if not marked:
            return None
        mean = Decimal(sum(mark * n for mark, n in counts.items())) / marked
        return mean.quantize(PLACES, ROUND_HALF_UP)
    participants = sum(row.participants for row in rows)
    part = {
        Measure.SHARE_2: counts[2],
        Measure.QUALITY: counts[4] + counts[5],
        Measure.SUCCESS: counts[3] + counts[4] + counts[5],
    }[Measure(measure)]
    return (Decimal(part) * 100 / participants).quantize(PLACES, ROUND_HALF_UP)


def results_template():
    """The downloadable template of a results table: the columns the import reads best, a
    title row above them as the federal tables have, and one example row."""
    from openpyxl import Workbook

    from core.xlsx import style_header

    book = Workbook()
    sheet = book.active
    sheet.title = "Результаты"
    sheet.append([Field(field).label for field in TEMPLATE])
    sheet.append(
        ["sch860001", "8617001234", "МБОУ «СОШ №1»", "Русский язык", 5, 25, 3, 10, 9, 3, 3.5]
    )
    style_header(sheet, [14, 14, 36, 18, 8, 12, 8, 8, 8, 8, 12])
    return book
