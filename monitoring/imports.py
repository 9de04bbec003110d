"""Import of indicator values for one monitoring point from an Excel template.

The template (`values_template`) has a row per supported school of the program and a column per
entered indicator («1. Доля обучающихся…»), filled with the values already saved. The coordinator
fills it in and uploads it; `plan_values_import` reads it and returns a `ValuesImportPlan` —
values to create, to change (old → new), unchanged, and every wrong cell with its reason. An
empty cell changes nothing. `plan.apply(user)` writes everything in one transaction, and a plan
with any error is never applied.

Imported values are «отправлено» (submitted) with the time of the import, as if the school had
sent them: approval stays with the curator or coordinator. An approved value is not overwritten.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook
from simple_history.utils import bulk_create_with_history

from core.changes import data_changed
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
    return f"{indicator.code}. {indicator.title}"[:200]


def _code_of(header):
    """«1.2. Доля …» → «1.2»: the code is what precedes the first «. » (or the whole header)."""
    text = cell_text(header)
    match = re.match(r"^\s*(.+?)\.(\s|$)", text)
    return normalize(match.group(1) if match else text)


@dataclass
class ValueChange:
    row: int
    school: Organization
    indicator: Indicator
    old: Decimal | None
    new: Decimal
    measurement: Measurement | None

    @property
    def action(self):
        if self.measurement is None:
            return "create"
        return "same" if self.old == self.new else "update"


@dataclass
class ValuesImportPlan(ImportPlan):
    point: object
    changes: list
    errors: list

    def apply(self, user):
        if self.errors:
            raise ValueError("A plan with errors is never applied.")
        now = timezone.now()
        created = []
        for c in self.creates:
            measurement = Measurement(
                indicator=c.indicator,
                point=self.point,
                organization=c.school,
                value=c.new,
                entered_by=user,
                comment="Загружено из Excel",
            )
            measurement.submit(user, at=now)
            created.append(measurement)
        changed = []
        for change in self.updates:
            measurement = change.measurement
            measurement.value = change.new
            measurement.entered_by = user
            measurement.submit(user, at=now)
            measurement.revision += 1
            changed.append(measurement)
        with transaction.atomic():
            bulk_create_with_history(created, Measurement, batch_size=1000, default_user=user)
            # status and submitted_at are what `submit` set: SUBMITTED at `now`.
            update_values(changed, now, user)
            data_changed(self.point.program_id)
            touched = {c.school.pk for c in self.creates + self.updates}
            allowed = set(
                Organization.objects.data_editable_by(user)
                .filter(pk__in=touched)
                .values_list("pk", flat=True)
            )
            if allowed != touched:
                raise PermissionDenied("Часть школ вам недоступна.")
        return {"created": len(self.creates), "updated": len(self.updates)}


UPDATE_BATCH = 2000


def update_values(measurements, now, user):
    """Write changed values in a few statements, each an UPDATE joined to a VALUES list (Django's
    bulk_update builds a CASE per column and row, which the database plans for minutes at 45,000
    rows), then their history in bulk. The values, revisions and submitters are the instances'
    own; every row becomes «submitted» at `now`."""
    ops = connection.ops
    table = ops.quote_name(Measurement._meta.db_table)
    casts = (
        ("::bigint", "::numeric", "::integer") if connection.vendor == "postgresql" else ("",) * 3
    )
    row = "({})".format(", ".join(f"%s{cast}" for cast in casts))
    for start in range(0, len(measurements), UPDATE_BATCH):
        batch = measurements[start : start + UPDATE_BATCH]
        params = [Measurement.Status.SUBMITTED, ops.adapt_datetimefield_value(now), user.pk]
        for m in batch:
            params += [m.pk, ops.adapt_decimalfield_value(m.value, 12, 2), m.revision]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET value = v.column2, revision = v.column3, status = %s, "
                f"submitted_at = %s, entered_by_id = %s "
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v "
                f"WHERE {table}.id = v.column1",
                params,
            )
    Measurement.history.bulk_history_create(
        measurements, batch_size=1000, update=True, default_user=user, default_date=now
    )


def entered_indicators(program):
    return list(program.indicators.entered().of_schools())


def program_schools(program):
    """The organizations taking part in the program, in any role (a row of another one gets
    its own message)."""
    return (
        Organization.objects.filter(
            pk__in=Participant.objects.filter(program=program).values("organization")
        )
        .select_related("municipality")
        .order_by("municipality__name", "short_name")
    )


def parse_value(raw, indicator):
    """The cell as a Decimal checked by the indicator's unit; ValidationError in Russian."""
    if isinstance(raw, bool):
        # Excel's ИСТИНА/ЛОЖЬ is an answer to a yes/no question, never a number of any other unit.
        if indicator.unit != Indicator.Unit.YES_NO:
            raise ValidationError(f"«{'ИСТИНА' if raw else 'ЛОЖЬ'}» — не число.")
        value = Decimal(int(raw))
    elif isinstance(raw, int | float):
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
    if abs(value) >= Decimal(10) ** 10:
        raise ValidationError("Слишком большое число.")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("Не больше двух знаков после запятой.")
    indicator.check_value(value)
    return value.quantize(Decimal("0.01"))


def plan_values_import(content, point, user):
    program = point.program
    indicators = entered_indicators(program)
    sheet = read_sheet(content, FIXED, allow_extra=True)
    by_code = {normalize(i.code): i for i in indicators}
    columns = {}  # cell index -> indicator
    unknown = []
    for header, index in sheet.headers.items():
        if header in _FIXED_HEADERS:
            continue
        indicator = by_code.get(_code_of(header))
        if indicator is None:
            unknown.append(header)
        else:
            columns[index] = indicator
    if unknown:
        raise ImportFileError(
            "Столбцы не соответствуют показателям программы: "
            + ", ".join(f"«{u}»" for u in unknown)
            + ". Скачайте шаблон заново."
        )
    if not columns:
        raise ImportFileError("В файле нет столбцов показателей. Скачайте шаблон заново.")

    schools = list(program_schools(program))
    by_inn = {s.inn: s for s in schools if s.inn}
    by_name = {normalize(s.short_name): s for s in schools}
    editable = set(
        Organization.objects.data_editable_by(user)
        .filter(pk__in=[s.pk for s in schools])
        .values_list("pk", flat=True)
    )
    saved = {
        (m.organization_id, m.indicator_id): m
        for m in Measurement.objects.filter(point=point, indicator__in=indicators)
    }
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
        for index, indicator in columns.items():
            raw = cells[index] if index < len(cells) else None
            if cell_text(raw) == "":
                continue
            header = indicator_header(indicator)
            try:
                value = parse_value(raw, indicator)
            except ValidationError as error:
                errors.append(RowError(number, header, " ".join(error.messages)))
                continue
            measurement = saved.get((school.pk, indicator.pk))
            old = measurement.value if measurement else None
            if (
                measurement is not None
                and measurement.status == Measurement.Status.APPROVED
                and old != value
            ):
                errors.append(
                    RowError(
                        number,
                        header,
                        "Значение уже утверждено; изменить его можно после возврата на доработку.",
                    )
                )
                continue
            changes.append(ValueChange(number, school, indicator, old, value, measurement))
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
