"""2. The columns: the header row and what each column holds, guessed from its header."""

from dataclasses import dataclass

from django.db import models

from core.xlsx import normalize

# Where the header row may be: some orders put a title row or two above it.
HEADER_SEARCH_ROWS = 10


class Meaning(models.TextChoices):
    """What a column of the table holds."""

    NUMBER = "number", "№ п/п"
    MODULE = "module", "Модуль / направление"
    TITLE = "title", "Мероприятие"
    SCHEDULE = "schedule", "Сроки"
    RESPONSIBLE = "responsible", "Ответственные"
    RESULT = "result", "Ожидаемый результат / показатель"
    SKIP = "skip", "не загружать"


_MODULE_STEMS = ("модуль", "направлени", "раздел", "блок")
# Header words of each meaning, tried in this order: «Срок представления результата» is a
# deadline and «Ответственный за результат» a responsible, so results come last.
_HEADER_STEMS = (
    (Meaning.RESPONSIBLE, ("ответствен", "исполнител", "кто ")),
    (Meaning.SCHEDULE, ("срок", "дата", "период", "когда")),
    (Meaning.RESULT, ("результат", "показател", "продукт", "ожидаем", "индикатор")),
    (Meaning.TITLE, ("мероприят", "наименован", "содержани", "действи", "функци", "работ")),
    (Meaning.MODULE, _MODULE_STEMS),
)
_NUMBER_HEADERS = frozenset({"№", "n", "no", "п/п", "№ п/п", "№п/п", "n п/п", "номер", "№ пп"})


def _meaning_of_header(text):
    name = normalize(text)
    if not name:
        return None
    if name in _NUMBER_HEADERS or (name.startswith("№") and len(name) <= 8):
        return Meaning.NUMBER
    # «Направление деятельности» is the module; «Мероприятия по направлениям» the items.
    if name.startswith(_MODULE_STEMS):
        return Meaning.MODULE
    for meaning, stems in _HEADER_STEMS:
        if any(stem in name for stem in stems):
            return meaning
    return None


def _header_row(table):
    """The index of the header row: the first of the top rows naming at least two meanings,
    else the first naming the items' column («Мероприятие», «Функции»)."""
    named = [
        {m for cell in row if (m := _meaning_of_header(cell))}
        for row in table.rows[:HEADER_SEARCH_ROWS]
    ]
    for wanted in (lambda found: len(found) >= 2, lambda found: Meaning.TITLE in found):
        for index, found in enumerate(named):
            if wanted(found):
                return index
    return None


@dataclass
class Column:
    """A column of the chosen table: its position, its header as written, its meaning."""

    index: int
    header: str
    meaning: str
    guessed: str

    @property
    def label(self):
        return " ".join(self.header.split()) or f"Столбец {self.index + 1}"

    @property
    def meaning_label(self):
        return Meaning(self.meaning).label


def guess_columns(table):
    """The header row (or None) and each column's guessed meaning; a meaning goes to the first
    column that names it, the others are not loaded."""
    header = _header_row(table)
    headers = table.rows[header] if header is not None else []
    taken, meanings = set(), []
    for index in range(table.width):
        text = headers[index] if index < len(headers) else ""
        meaning = _meaning_of_header(text)
        # A header cell merged over two columns repeats: the second copy is not loaded.
        if meaning is None or meaning in taken:
            meaning = Meaning.SKIP
        taken.add(meaning)
        meanings.append(meaning)
    return header, meanings


def column_headers(table):
    """The header text of every column ("" where the table has no header row)."""
    header = _header_row(table)
    row = table.rows[header] if header is not None else []
    return [row[i] if i < len(row) else "" for i in range(table.width)]


def check_meanings(meanings):
    """Russian messages about a choice of meanings that cannot be read: no title, a meaning
    chosen twice."""
    errors = []
    if Meaning.TITLE not in meanings:
        errors.append("Укажите столбец с названием мероприятия («Мероприятие»).")
    for meaning in Meaning:
        if meaning != Meaning.SKIP and meanings.count(meaning) > 1:
            columns = ", ".join(str(i + 1) for i, m in enumerate(meanings) if m == meaning)
            errors.append(f"«{meaning.label}» выбрано для нескольких столбцов: {columns}.")
    return errors
