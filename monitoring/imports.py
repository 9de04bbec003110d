"""Import of indicator values for one monitoring point from an Excel template.

The template (`values_template`) has a row per supported school of the program and a column per
entered indicator («1. Доля обучающихся…»), filled with the values already saved. The coordinator
fills it in and uploads it; `plan_values_import` reads it and returns a `ValuesImportPlan` —
values to create, to change (old → new), unchanged, and every wrong cell with its reason. An
empty cell changes nothing. `plan.apply(user)` writes everything in one transaction, in a few
statements whatever the size of the file (`write_values`), and a plan with any error is never
applied.

Imported values are «отправлено» (submitted) with the time of the import, as if the school had
sent them: approval stays with the curator or coordinator. An approved value is not overwritten.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from itertools import islice
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from core import imports as core_imports
from core.bulk import History, insert_rows, update_rows
from core.changes import VALUE_FIGURES, data_changed
from core.imports import ImportRefused
from core.xlsx import (
    Column,
    ImportFileError,
    ImportPlan,
    RowError,
    cell_text,
    normalize,
    read_sheet,
    style_header,
)
from programs.models import Participant
from schools.models import Organization

from .models import Indicator, Measurement

SCHOOL = Column("Школа", "school", required=True)
INN = Column("ИНН", "inn")
MUNICIPALITY = Column("Муниципалитет", "municipality")
FIXED = [SCHOOL, INN, MUNICIPALITY]
_FIXED_HEADERS = {normalize(c.header) for c in FIXED}
_YES = {"да", "1", "yes", "+"}
_NO = {"нет", "0", "no", "-"}


def indicator_header(indicator):
    return f"{indicator.code}. {indicator.display_title}"[:200]


def _code_of(header):
    """«1.2. Доля …» → «1.2»: the code is what precedes the first «. » (or the whole header)."""
    text = cell_text(header)
    match = re.match(r"^\s*(.+?)\.(\s|$)", text)
    return normalize(match.group(1) if match else text)


class SavedValue(NamedTuple):
    """What the plan needs of a value already saved: enough to compare and to update it only
    if nobody changed it meanwhile (its revision). A tuple: a national point holds 45,000."""

    pk: int
    value: Decimal | None
    status: str
    revision: int


class PlanSchool(NamedTuple):
    """What the plan needs of a school of the program: its name and INN to find its row, its
    name for the preview."""

    pk: int
    short_name: str
    inn: str


@dataclass(slots=True)
class ValueChange:
    row: int
    school: PlanSchool
    indicator: Indicator
    old: Decimal | None
    new: Decimal
    saved: SavedValue | None

    @property
    def action(self):
        if self.saved is None:
            return "create"
        return "same" if self.old == self.new else "update"


IMPORTED = "Загружено из Excel"
# Why the history says a value changed (simple-history's change reason, at most 100 characters).
HISTORY_REASON = "загрузка значений из Excel"
STALE = (
    "Пока файл ждал записи, часть значений изменили или утвердили. Ничего не сохранено: "
    "загрузите файл снова, чтобы увидеть изменения."
)


@dataclass
class ValuesImportPlan(ImportPlan):
    point: object
    changes: list
    errors: list

    @cached_property
    def _by_action(self):
        """The changes grouped by action once: the preview, the size and the write each ask."""
        by_action = {"create": [], "update": [], "same": []}
        for change in self.changes:
            by_action[change.action].append(change)
        return by_action

    @property
    def creates(self):
        return self._by_action["create"]

    @property
    def updates(self):
        return self._by_action["update"]

    @property
    def unchanged(self):
        return self._by_action["same"]

    @property
    def shown_changes(self):
        """The values the preview lists: those the file adds or changes, at most
        `core.imports.PREVIEW_ROWS`; `hidden_changes` counts the rest."""
        changing = (c for c in self.changes if c.action != "same")
        return list(islice(changing, core_imports.PREVIEW_ROWS))

    @property
    def hidden_changes(self):
        return max(self.size - core_imports.PREVIEW_ROWS, 0)

    def apply(self, user):
        """Write the plan in one transaction, with one history row per created or changed
        value (who, when, why), in a fixed number of statements however many values the file
        has. Every value is «submitted» by `user` now. A value changed or approved by someone
        else since the plan was made is not overwritten: nothing is saved (`ImportStale`)."""
        if self.errors:
            raise ValueError("A plan with errors is never applied.")
        now = timezone.now()
        creates, updates = self.creates, self.updates
        with transaction.atomic(), core_imports.without_cycle_collection():
            write_values(self.point, creates, updates, user, now)
            # Values: the figures of indicators and completeness, in every territory.
            data_changed(self.point.program_id, VALUE_FIGURES)
            touched = {c.school.pk for c in creates + updates}
            allowed = set(
                Organization.objects.data_editable_by(user)
                .filter(pk__in=touched)
                .values_list("pk", flat=True)
            )
            if allowed != touched:
                raise PermissionDenied("Часть школ вам недоступна.")
        return {
            "created": len(creates),
            "updated": len(updates),
            "unchanged": len(self.unchanged),
        }


class ImportStale(ImportRefused):
    """Values of the plan were changed by someone else before it was written."""

    def __init__(self):
        super().__init__(STALE)


def write_values(point, creates, updates, user, now):
    """The write of a values import: the new values inserted and the changed ones updated —
    each from one derived table of the file's values (`core.bulk`) — with their history copied
    from the rows as written. Two statements on PostgreSQL (each write copies its own history),
    four elsewhere, whatever the number of values. Must run inside a transaction: on
    `ImportStale` the caller's rollback undoes the rest."""
    submitted = {
        "status": Measurement.Status.SUBMITTED,
        "submitted_at": now,
        "entered_by": user.pk,
    }
    if creates:
        insert_rows(
            Measurement,
            ["indicator", "organization", "value"],
            [(c.indicator.pk, c.school.pk, c.new) for c in creates],
            {**submitted, "point": point.pk, "comment": IMPORTED},
            history=History("+", user, now, HISTORY_REASON),
        )
    if updates:
        rows = [(c.saved.pk, c.new, c.saved.revision) for c in updates]
        written = update_rows(
            Measurement,
            "id",
            ["value"],
            rows,
            submitted,
            read=["revision"],
            # The revision grows as a save's would; a row whose revision is no longer the one
            # the plan read, or that was approved meanwhile, is left alone and counted missing.
            extra_set="revision = m.revision + 1",
            extra_where="m.revision = v.revision AND m.status <> 'approved'",
            history=History("~", user, now, HISTORY_REASON),
        )
        if written != len(rows):
            raise ImportStale()


def entered_indicators(program):
    return list(program.indicators.entered().of_schools())


def program_schools(program):
    """The organizations taking part in the program, in any role (a row of another one gets
    its own message), as `PlanSchool`s: one query, no model instances."""
    return [
        PlanSchool(*row)
        for row in Organization.objects.filter(pk__in=_participants(program))
        .order_by("municipality__name", "short_name")
        .values_list("pk", "short_name", "inn")
    ]


def _participants(program):
    return Participant.objects.filter(program=program).values("organization")


_CENT = Decimal("0.01")
_TOO_BIG = Decimal(10) ** 10


def parse_value(raw, indicator):
    """The cell as a Decimal checked by the indicator's unit; ValidationError in Russian."""
    if isinstance(raw, bool):
        # Excel's ИСТИНА/ЛОЖЬ is an answer to a yes/no question, never a number of any other unit.
        if indicator.unit != Indicator.Unit.YES_NO:
            raise ValidationError(f"«{'ИСТИНА' if raw else 'ЛОЖЬ'}» — не число.")
        value = Decimal(int(raw))
    elif isinstance(raw, int):
        value = Decimal(raw)  # the same Decimal as of its text, without the text
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = cell_text(raw).replace("\u00a0", "").replace(" ", "")
        if indicator.unit == Indicator.Unit.YES_NO and text.casefold() in _YES | _NO:
            value = Decimal(1 if text.casefold() in _YES else 0)
        else:
            text = text.rstrip("%").replace(",", ".")
            try:
                value = Decimal(text)
            except InvalidOperation as error:
                raise ValidationError(f"«{cell_text(raw)}» — не число.") from error
    if not value.is_finite():
        raise ValidationError("Значение должно быть числом.")
    # Before rounding: quantize() cannot hold «1e400» and would raise.
    if abs(value) >= _TOO_BIG:
        raise ValidationError("Слишком большое число.")
    rounded = value.quantize(_CENT)
    if value != rounded:
        raise ValidationError("Не больше двух знаков после запятой.")
    indicator.check_value(value)
    return rounded


class _Refused(NamedTuple):
    """A cell `parse_value` refused, with its message."""

    message: str


def plan_values_import(content, point, user):
    """The plan of a values file at `point` for `user`. Its queries do not grow with the file
    (each lookup is a dict filled by one query), nor does its Python per cell: a value seen
    before in the same column is not parsed again."""
    with core_imports.without_cycle_collection():
        return _plan(content, point, user)


def _plan(content, point, user):
    program = point.program
    indicators = entered_indicators(program)
    sheet = read_sheet(content, FIXED, allow_extra=True)
    by_code = {normalize(i.code): i for i in indicators}
    columns = []  # (cell index, indicator, its id, its header for messages)
    unknown = []
    for header, index in sheet.headers.items():
        if header in _FIXED_HEADERS:
            continue
        indicator = by_code.get(_code_of(header))
        if indicator is None:
            unknown.append(header)
        else:
            columns.append((index, indicator, indicator.pk, indicator_header(indicator)))
    if unknown:
        raise ImportFileError(
            "Столбцы не соответствуют показателям программы: "
            + ", ".join(f"«{u}»" for u in unknown)
            + ". Скачайте шаблон заново."
        )
    if not columns:
        raise ImportFileError("В файле нет столбцов показателей. Скачайте шаблон заново.")

    schools = program_schools(program)
    by_inn = {s.inn: s for s in schools if s.inn}
    by_name = {normalize(s.short_name): s for s in schools}
    editable = set(
        Organization.objects.data_editable_by(user)
        .filter(pk__in=_participants(program))
        .values_list("pk", flat=True)
    )
    # One query, tuples rather than model instances: a national point holds 45,000 values. No
    # order: the model's own (by date, indicator and school name) joined three tables and sorted
    # 135,000 rows on disk for a dict.
    saved = {
        (organization, indicator): SavedValue(pk, value, status, revision)
        for pk, organization, indicator, value, status, revision in Measurement.objects.filter(
            point=point, indicator__in=indicators
        )
        .order_by()
        .values_list("pk", "organization_id", "indicator_id", "value", "status", "revision")
    }
    approved = Measurement.Status.APPROVED
    parsed = {}  # (cell index, type, cell) -> Decimal or _Refused
    errors, changes, seen = [], [], {}
    for number, row in sheet.rows:
        name, inn = cell_text(row["school"]), cell_text(row["inn"])
        school = by_inn.get(inn) if inn else None
        school = school or by_name.get(normalize(name))
        if school is None:
            errors.append(
                RowError(number, SCHOOL.header, f"Школа «{name or inn}» не участвует в программе.")
            )
            continue
        if school.pk not in editable:
            errors.append(
                RowError(number, SCHOOL.header, "Вы не можете вносить значения этой школы.")
            )
            continue
        if school.pk in seen:
            errors.append(
                RowError(number, SCHOOL.header, f"Школа уже есть в строке {seen[school.pk]}.")
            )
            continue
        seen[school.pk] = number
        cells = row["_cells"]
        width = len(cells)
        for index, indicator, indicator_id, header in columns:
            raw = cells[index] if index < width else None
            # Only text can be blank (numbers, dates and booleans never are).
            if raw is None or (isinstance(raw, str) and cell_text(raw) == ""):
                continue
            # The type is part of the key: True == 1 == 1.0 are three different cells.
            key = (index, raw.__class__, raw)
            value = parsed.get(key)
            if value is None:
                try:
                    value = parse_value(raw, indicator)
                except ValidationError as error:
                    value = _Refused(" ".join(error.messages))
                parsed[key] = value
            if value.__class__ is _Refused:
                errors.append(RowError(number, header, value.message))
                continue
            known = saved.get((school.pk, indicator_id))
            old = known.value if known else None
            if known is not None and known.status == approved and old != value:
                errors.append(
                    RowError(
                        number,
                        header,
                        "Значение уже утверждено; изменить его можно после возврата на доработку.",
                    )
                )
                continue
            changes.append(ValueChange(number, school, indicator, old, value, known))
    return ValuesImportPlan(point=point, changes=changes, errors=errors)


def values_template(point, user):
    """The workbook to fill: a row per school of the program the user may enter values for,
    a column per entered indicator, with the values already saved."""
    program = point.program
    indicators = entered_indicators(program)
    schools = (
        program.supported_schools()
        .filter(pk__in=Organization.objects.data_editable_by(user).values("pk"))
        .select_related("municipality")
        .order_by("municipality__name", "short_name")
    )
    saved = {
        (m.organization_id, m.indicator_id): m.value
        for m in Measurement.objects.filter(point=point, indicator__in=indicators)
    }
    book = Workbook()
    sheet = book.active
    sheet.title = "Значения"
    sheet.append([c.header for c in FIXED] + [indicator_header(i) for i in indicators])
    for school in schools:
        sheet.append(
            [school.short_name, school.inn, str(school.municipality or "")]
            + [
                float(v) if (v := saved.get((school.pk, i.pk))) is not None else None
                for i in indicators
            ]
        )
    style_header(sheet, [36, 14, 24] + [18] * len(indicators))
    about = book.create_sheet("Показатели")
    about.append(["Номер", "Показатель", "Единица", "Что вводить"])
    hints = {
        Indicator.Unit.PERCENT: "число от 0 до 100",
        Indicator.Unit.COUNT: "целое число",
        Indicator.Unit.SCORE: "число не меньше 0",
        Indicator.Unit.YES_NO: "да или нет",
    }
    for indicator in indicators:
        about.append(
            [indicator.code, indicator.title, indicator.get_unit_display(), hints[indicator.unit]]
        )
    about.append([])
    about.append([f"Точка мониторинга: {point.title} ({point.date:%d.%m.%Y})"])
    about.append(["Пустая ячейка не меняет сохранённое значение."])
    style_header(about, [10, 70, 14, 20])
    return book
