"""3. The rows: modules and items planned from the table, and saving the plan."""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from core.xlsx import normalize
from programs.models import Module

from ..models import Roadmap, RoadmapItem
from ..schedule import Schedule, parse_schedule
from .columns import Column, Meaning, check_meanings, guess_columns
from .matching import _Matcher, matchable_organizations
from .reading import Table

_NUMBER_LIMIT = RoadmapItem._meta.get_field("number").max_length
_SCHEDULE_LIMIT = RoadmapItem._meta.get_field("schedule_text").max_length
_MODULE_LIMIT = Module._meta.get_field("title").max_length


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
