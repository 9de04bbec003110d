"""A roadmap read from the order itself: the plan-graph table of a .docx order or an .xlsx book.

Authorities keep their plan (план-график, план мероприятий) as a table with columns such as
«№ п/п», «Мероприятие», «Сроки», «Ответственные», «Ожидаемый результат / Показатель», often
with a row merged across the table for each module or direction. Reading it takes three steps,
each a function here, so that the page and `manage.py import_roadmap` show the same preview:

1. `read_tables` turns the file into tables of cell texts. Merged cells repeat their text in
   every cell they cover (python-docx and the merged ranges of openpyxl both say so), which is
   how a person reads them: a responsible cell merged over three rows is responsible for each.
2. `guess_columns` finds the header row and gives each column a `Meaning` from its header; the
   person may change any of them.
3. `plan_import` reads every row under the header: a merged row becomes the module of the items
   below it, a row with a title becomes an item (its deadline parsed by `parse_schedule`, its
   responsible organizations matched to the program's participants), and any other row is
   listed with the reason it could not be read. `RoadmapPlan.apply` saves it in one
   transaction.

The file is bounded before it is parsed: an Office file is a zip package, and its parts may
unpack to far more than the upload limit, so the declared sizes are summed first (`zipfile`
never unpacks a member past its declared size).
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import models, transaction
from django.db.models import Max, Q

from core.uploads import PackageLimits, PackageRefused, check_package
from core.xlsx import ImportFileError, normalize
from programs.models import Module, Participant
from schools.models import Organization

from .models import Roadmap, RoadmapItem
from .schedule import Schedule, parse_schedule
from .setup_forms import program_organizations

# What an order's table may be at most; a larger one is not a plan-graph.
# What a plan's .docx or .xlsx may unpack to: a table of a few hundred rows, with the order's
# text and pictures around it.
PLAN_LIMITS = PackageLimits(entries=2000, total_mb=50, entry_mb=40, ratio=100)
MAX_TABLES = 50
MAX_ROWS = 2000
MAX_COLUMNS = 30
# Where the header row may be: some orders put a title row or two above it.
HEADER_SEARCH_ROWS = 10

EXTENSIONS = ("docx", "xlsx")

_NUMBER_LIMIT = RoadmapItem._meta.get_field("number").max_length
_SCHEDULE_LIMIT = RoadmapItem._meta.get_field("schedule_text").max_length
_MODULE_LIMIT = Module._meta.get_field("title").max_length


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

# A row that names a module or direction on its own: «Модуль 1. «Есть проект»»,
# «Направление 2», «Раздел III», «I. Организационные мероприятия».
_HEADING_RE = re.compile(
    r"^\s*(модуль|направлени|раздел|блок|этап)|^\s*[IVXLC]+\.\s", re.IGNORECASE
)
# «Модуль 1.», «Направление 2:», «I.» before the name of a module.
_HEADING_PREFIX_RE = re.compile(
    r"^\s*(?:(?:модуль|направление|раздел|блок)\s*№?\s*[\dIVXLC]*\s*[.:)–—-]?\s*"
    r"|[IVXLC\d]+\s*[.)]\s*)",
    re.IGNORECASE,
)
# «Министерство образования Пермского края (далее – МОН ПК)»: an abbreviation defined in place.
_ALIAS_RE = re.compile(r"\(\s*далее\s*[-–—:]?\s*([^()]+?)\s*\)", re.IGNORECASE)
_REMARK_RE = re.compile(r"\([^()]*\)")
_PART_SPLIT_RE = re.compile(r"[;,\n]+")


@dataclass
class Table:
    """One table of the file as cell texts, row by row (merged cells repeated)."""

    index: int
    label: str
    rows: list[list[str]]

    @property
    def width(self):
        return max((len(row) for row in self.rows), default=0)


# --- 1. Reading the file ------------------------------------------------------------------


def _check_package(content):
    """Refuse an Office package that is no zip or would unpack beyond the bounds — entries,
    declared sizes and compression ratio, read from its directory before anything inflates
    (`core.uploads.check_package`, the bound every upload and import of the portal keeps)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            check_package(package, PLAN_LIMITS)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError("Файл повреждён: это не документ Word или книга Excel.") from error
    except PackageRefused as error:
        raise ImportFileError(
            f"Файл не принят: {error}. В нём не может быть одна таблица плана; сохраните "
            "таблицу плана в отдельный файл."
        ) from error


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _bounded(rows, label):
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"{label}: больше {MAX_ROWS} строк — это не план мероприятий.")
    return [row[:MAX_COLUMNS] for row in rows]


def _docx_tables(content):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(content))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ImportFileError("Файл не является документом Word (.docx).") from error
    tables = []
    for index, table in enumerate(document.tables[:MAX_TABLES]):
        rows = [[_cell_text(cell.text) for cell in row.cells] for row in table.rows]
        label = f"Таблица {index + 1}"
        tables.append(Table(index, label, _bounded(rows, label)))
    return tables


def _xlsx_tables(content):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: merged ranges are known only to a fully loaded sheet.
        book = load_workbook(io.BytesIO(content), data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as error:
        raise ImportFileError("Файл не является книгой Excel (.xlsx).") from error
    tables = []
    for index, sheet in enumerate(book.worksheets[:MAX_TABLES]):
        label = f"Лист «{sheet.title}»"
        width = min(sheet.max_column, MAX_COLUMNS)
        rows = [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(max_col=width, values_only=True)
        ]
        # Formatting alone stretches a sheet far below its last written row.
        while rows and not any(rows[-1]):
            rows.pop()
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"{label}: больше {MAX_ROWS} строк — это не план мероприятий.")
        for merged in sheet.merged_cells.ranges:
            top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_col <= width else ""
            for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
                for c in range(merged.min_col, min(merged.max_col, width) + 1):
                    rows[r - 1][c - 1] = top
        tables.append(Table(index, label, rows))
    book.close()
    return tables


def read_tables(content, filename):
    """The tables of a .docx or .xlsx file that have at least two rows and two columns.
    Raises `ImportFileError` with a Russian message when there is nothing to read."""
    ext = PurePath(filename or "").suffix.lower().lstrip(".")
    if ext not in EXTENSIONS:
        raise ImportFileError("Нужен документ Word (.docx) или книга Excel (.xlsx).")
    if not content:
        raise ImportFileError("Файл пуст.")
    _check_package(content)
    tables = _docx_tables(content) if ext == "docx" else _xlsx_tables(content)
    tables = [t for t in tables if sum(1 for row in t.rows if any(row)) >= 2 and t.width >= 2]
    if not tables:
        raise ImportFileError(
            "В файле нет таблицы: план мероприятий должен быть таблицей со строкой заголовков."
        )
    return tables


# --- 2. The columns -----------------------------------------------------------------------


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


# --- 3. The rows --------------------------------------------------------------------------


@dataclass
class PlannedModule:
    """The module items fall under: an existing module of the program, or one to create."""

    title: str
    module: Module | None = None

    @property
    def is_new(self):
        return self.module is None


@dataclass
class PlannedItem:
    """An item as it will be created, with what the person should look at."""

    row: int
    number: str
    title: str
    schedule_text: str
    schedule: Schedule
    module: PlannedModule | None
    responsible: list
    unmatched: list
    responsible_note: str
    expected_result: str

    @property
    def undated(self):
        return not self.schedule

    @property
    def flags(self):
        """What the preview marks on this item, in Russian."""
        flags = []
        if self.undated:
            if self.schedule.repetition:
                flags.append(f"повторяется {self.schedule.repetition}, единого срока нет")
            elif self.schedule_text:
                flags.append("даты не распознаны")
            else:
                flags.append("срок не указан")
        if self.unmatched:
            flags.append("не найдены среди участников: " + "; ".join(self.unmatched))
        return flags


@dataclass
class SkippedRow:
    """A row that could not be read as an item or a module, with the reason."""

    row: int
    text: str
    reason: str


@dataclass
class RoadmapPlan:
    """What the import would create. `errors` are problems of the whole table (a missing title
    column); a plan with errors or without items is never applied. Rows that could not be read
    are listed in `skipped` and not loaded."""

    program: object
    roadmap: Roadmap | None
    title: str
    tables: list
    table: Table
    header_row: int | None
    columns: list
    items: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    modules: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    empty_rows: int = 0

    @property
    def is_valid(self):
        return not self.errors and bool(self.items)

    @property
    def new_modules(self):
        return [m for m in self.modules if m.is_new]

    @property
    def undated(self):
        return [i for i in self.items if i.undated]

    @property
    def unmatched(self):
        return [i for i in self.items if i.unmatched]

    @property
    def target_label(self):
        if self.roadmap is not None:
            return f"в дорожную карту «{self.roadmap.title}»"
        return f"в новую дорожную карту «{self.title}»"

    def apply(self, user=None):
        """Create the roadmap (if new), the new modules and the items, all or nothing."""
        if not self.is_valid:
            raise ValueError("A plan with errors is never applied.")
        with transaction.atomic():
            roadmap = self.roadmap or Roadmap.objects.create(
                program=self.program, level=Roadmap.Level.PROGRAM, title=self.title
            )
            module_order = (
                Module.objects.filter(program=self.program).aggregate(last=Max("order"))["last"]
                or 0
            )
            new_modules = self.new_modules
            for planned in new_modules:
                module_order += 1
                planned.module = Module.objects.create(
                    program=self.program, title=planned.title, order=module_order
                )
            last = roadmap.items.aggregate(last=Max("order"))["last"]
            order = -1 if last is None else last
            for planned in self.items:
                order += 1
                item = RoadmapItem(
                    roadmap=roadmap,
                    module=planned.module.module if planned.module else None,
                    number=planned.number,
                    order=order,
                    title=planned.title,
                    schedule_text=planned.schedule_text,
                    starts_on=planned.schedule.starts_on,
                    due_on=planned.schedule.due_on,
                    recurring=planned.schedule.recurring,
                    responsible_note=planned.responsible_note,
                    expected_result=planned.expected_result,
                )
                item.save()
                if planned.responsible:
                    item.responsible.set(planned.responsible)
        return {"roadmap": roadmap, "items": len(self.items), "modules": len(new_modules)}


def matchable_organizations(program, user=None, roadmap=None):
    """Organizations a responsible cell may name: those the item form offers (participants,
    owner, operator, the user's own authorities), or without a user (the command) the program's
    participants, owner and operator."""
    if user is not None:
        return program_organizations(program, user, roadmap)
    return Organization.objects.filter(
        Q(pk__in=Participant.objects.filter(program=program).values("organization"))
        | Q(pk__in=[program.owner_id, program.operator_id or 0])
    )


def _part(raw):
    """A part of a responsible cell as compared: normalized, without a leading «и»."""
    part = normalize(raw).strip(" .-–—")
    return re.sub(r"^(и|а также)\s+", "", part)


def _in_order(wanted, words):
    remaining = iter(words)
    return all(word in remaining for word in wanted)


def _compact(name):
    return re.sub(r"[\W_]+", "", name)


class _Matcher:
    """Finds organizations named in a responsible cell, by full or short name, or by an
    abbreviation the table defines («(далее – ЦНППМПР)»)."""

    def __init__(self, organizations):
        self.names = []
        for organization in organizations.only("name", "short_name"):
            for name in {normalize(organization.short_name), normalize(organization.name)}:
                if len(name) >= 3:
                    self.names.append((name, organization))
        # Longest names first, so «МБОУ «СОШ №2»» is not taken for «СОШ №2» of another school.
        self.names.sort(key=lambda pair: -len(pair[0]))
        # Spacing and punctuation vary within one document: «ДОиМП г.Мегиона», «ДО и МП
        # г. Мегиона». A whole part is compared without them.
        self.exact = {}
        for name, organization in reversed(self.names):
            self.exact[_compact(name)] = organization
        self.aliases = {}

    def _find(self, part):
        return self._find_whole(part) or self._find_start(part)

    def _find_whole(self, part):
        """An organization whose whole name (or a defined abbreviation) the part contains."""
        if part in self.aliases:
            return self.aliases[part]
        if _compact(part) in self.exact:
            return self.exact[_compact(part)]
        for name, organization in self.names:
            # The plain substring test first: the pattern is built only for likely names.
            if name in part and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", part):
                return organization
        # «Управление образования администрации Аткарского района» names «Управление
        # образования Аткарского района»: every word of a long enough name, in its order.
        words = part.split()
        for name, organization in self.names:
            wanted = name.split()
            if len(wanted) >= 3 and _in_order(wanted, words):
                return organization
        return None

    def _find_start(self, part):
        """An organization whose name starts with the part: «ЦНППМПР» for «ЦНППМПР ГАУ ДПО
        «ИРО ПК»»."""
        if len(part) >= 4:
            for name, organization in self.names:
                if name.startswith(part + " "):
                    return organization
        return None

    def match(self, text):
        """The organizations named in the cell, in order, and the parts matched to none."""
        found, unmatched = [], []
        for alias_match in _ALIAS_RE.finditer(text):
            before = text[: alias_match.start()]
            defined = _PART_SPLIT_RE.split(_REMARK_RE.sub(" ", before))[-1]
            organization = self._find(normalize(defined))
            if organization is not None:
                self.aliases[normalize(alias_match.group(1))] = organization
        parts = [
            (raw, part)
            for raw in _PART_SPLIT_RE.split(_REMARK_RE.sub(" ", text))
            if (part := _part(raw))
        ]
        i = 0
        while i < len(parts):
            raw, part = parts[i]
            organization = self._find_whole(part)
            # A long name wrapped onto the next line of the cell: «Центр … работников\nГАУ
            # ДПО «ИРО ПК»» is one organization, not two parts.
            if organization is None and i + 1 < len(parts) and self._find(parts[i + 1][1]) is None:
                organization = self._find_whole(f"{part} {parts[i + 1][1]}")
                if organization is not None:
                    i += 1
            if organization is None:
                organization = self._find_start(part)
            if organization is None:
                unmatched.append(raw.strip(" .;,"))
            elif organization not in found:
                found.append(organization)
            i += 1
        return found, unmatched


class _Modules:
    """Module headings matched to the program's modules by name («Модуль 1. «Есть проект»» is
    the module «Есть проект»); unknown ones become new modules, each once."""

    def __init__(self, program):
        self.existing = [(normalize(m.title), m) for m in program.modules.all()]
        self.planned = {}

    def get(self, heading):
        title = _HEADING_PREFIX_RE.sub("", heading).strip() or heading.strip()
        # «Модуль «Есть проект»»: the name without the quotes around it.
        if title.startswith("«") and title.endswith("»") and title.count("«") == 1:
            title = title[1:-1].strip()
        key = normalize(title)
        if key in self.planned:
            return self.planned[key]
        module = next((m for name, m in self.existing if name == key), None) or next(
            (m for name, m in self.existing if name and name in normalize(heading)), None
        )
        planned = self.planned[key] = PlannedModule(module.title if module else title, module)
        return planned


def _is_numbering_row(row):
    """The row «1 2 3 4 5» some orders put under the header."""
    filled = [cell for cell in row if cell]
    return len(filled) >= 2 and filled == [str(n) for n in range(1, len(filled) + 1)]


def _heading(row, meanings):
    """The module named by a row, or None if the row is no heading: a row merged across the
    table (one text in several cells), or a lone cell worded like a heading."""
    filled = [(i, cell) for i, cell in enumerate(row) if cell]
    texts = {cell for _, cell in filled}
    if len(texts) != 1:
        return None
    text = texts.pop()
    positions = [i for i, _ in filled]
    # Merged: one text over neighbouring cells, across at least half the table. An item whose
    # result repeats its title («Семинар» … «Семинар») is no heading.
    contiguous = positions == list(range(positions[0], positions[-1] + 1))
    if len(filled) >= 2 and contiguous and 2 * len(filled) >= len(row):
        return text
    index = filled[0][0]
    meaning = meanings[index] if index < len(meanings) else Meaning.SKIP
    if meaning in (Meaning.MODULE, Meaning.NUMBER, Meaning.TITLE) and _HEADING_RE.match(text):
        return text
    return None


def _value(row, meanings, meaning):
    for index, m in enumerate(meanings):
        if m == meaning and index < len(row):
            return row[index].strip()
    return ""


def _excerpt(row):
    text = " | ".join(dict.fromkeys(cell for cell in row if cell))
    return text if len(text) <= 200 else text[:199] + "…"


def plan_import(tables, *, program, table_index=0, meanings=None, roadmap=None, title="",
                user=None):  # fmt: skip
    """The plan of importing table `table_index` with the columns' `meanings` (guessed when
    None) into `roadmap`, or into a new program roadmap called `title`."""
    table = next((t for t in tables if t.index == table_index), tables[0])
    header, guessed = guess_columns(table)
    meanings = list(meanings) if meanings is not None else guessed
    meanings = (meanings + [Meaning.SKIP] * table.width)[: table.width]
    headers = table.rows[header] if header is not None else []
    columns = [
        Column(i, headers[i] if i < len(headers) else "", meanings[i], guessed[i])
        for i in range(table.width)
    ]
    plan = RoadmapPlan(
        program=program,
        roadmap=roadmap,
        title=title,
        tables=tables,
        table=table,
        header_row=header,
        columns=columns,
        errors=check_meanings(meanings),
    )
    if plan.errors:
        return plan
    matcher = _Matcher(matchable_organizations(program, user, roadmap))
    modules = _Modules(program)
    current = None
    year, period = program.year, program.period
    start = 0 if header is None else header + 1
    for index in range(start, len(table.rows)):
        row, number = table.rows[index], index + 1
        if not any(row) or _is_numbering_row(row):
            plan.empty_rows += not any(row)
            continue
        heading = _heading(row, meanings)
        if heading is not None:
            if len(heading) > _MODULE_LIMIT:
                plan.skipped.append(
                    SkippedRow(number, _excerpt(row), "Название модуля длиннее 300 знаков.")
                )
                continue
            current = modules.get(heading)
            continue
        item = _item(row, number, meanings, current, modules, matcher, year, period)
        if isinstance(item, SkippedRow):
            plan.skipped.append(item)
        else:
            plan.items.append(item)
    plan.modules = list(modules.planned.values())
    if not plan.items:
        plan.errors.append(
            "В таблице не найдено ни одного мероприятия: проверьте, какой столбец содержит "
            "названия мероприятий."
        )
    return plan


def _item(row, number, meanings, current, modules, matcher, year, period):
    """A `PlannedItem` of the row, or a `SkippedRow` saying why it cannot be one."""
    title = _value(row, meanings, Meaning.TITLE)
    if not title:
        return SkippedRow(number, _excerpt(row), "Нет названия мероприятия.")
    item_number = _value(row, meanings, Meaning.NUMBER)
    if len(item_number) > _NUMBER_LIMIT:
        return SkippedRow(
            number, _excerpt(row), f"Номер длиннее {_NUMBER_LIMIT} знаков: «{item_number}»."
        )
    schedule_text = " ".join(_value(row, meanings, Meaning.SCHEDULE).split())
    if len(schedule_text) > _SCHEDULE_LIMIT:
        return SkippedRow(number, _excerpt(row), f"Срок длиннее {_SCHEDULE_LIMIT} знаков.")
    schedule = parse_schedule(schedule_text, year=year, period=period)
    if schedule.starts_on and schedule.due_on and schedule.due_on < schedule.starts_on:
        return SkippedRow(number, _excerpt(row), "Срок раньше начала: проверьте формулировку.")
    module_text = _value(row, meanings, Meaning.MODULE)
    module = modules.get(module_text) if module_text else current
    note = _value(row, meanings, Meaning.RESPONSIBLE)
    responsible, unmatched = matcher.match(note)
    return PlannedItem(
        row=number,
        number=item_number,
        title=title,
        schedule_text=schedule_text,
        schedule=schedule,
        module=module,
        responsible=responsible,
        unmatched=unmatched,
        responsible_note=note,
        expected_result=_value(row, meanings, Meaning.RESULT),
    )
