"""Import of schools with their yearly status categories from an Excel template.

`plan_school_import(content, region, user)` reads the workbook and returns a `SchoolImportPlan`:
which schools will be created, which changed (field by field), which stay as they are, which
statuses are added, and every wrong row with its reason. Nothing is written until
`plan.apply(user)`, and `apply` refuses a plan with errors: a file is saved whole or not at all.

A school is recognised by its ИНН within the region, or, without one, by its short name. An
empty cell leaves the saved value as it is; statuses are only added, never removed.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from core.bulk import update_rows
from core.changes import data_changed
from core.xlsx import Column, ImportPlan, RowError, cell_text, normalize, read_sheet, style_header

from .models import Municipality, Organization, Region, SchoolStatus

COLUMNS = [
    Column("Краткое название", "short_name", required=True),
    Column("Полное название", "name"),
    Column("Муниципалитет", "municipality"),
    Column("ИНН", "inn"),
    Column("Код ОО", "code"),
    Column("Код ФИС ОКО / РЦОИ", "results_code"),
    Column("Адрес", "address"),
    Column("Головная школа (для филиала)", "parent"),
    Column("Год идентификации", "year"),
    Column("Категории", "categories"),
    Column("Основание", "source"),
]
HEADER = {c.key: c.header for c in COLUMNS}
# Other headers of the code the tables of assessment results use («Логин ФИС ОКО», «Код
# РЦОИ», «Код в результатах оценочных процедур»): a column is guessed by these stems when the
# template's own header is absent. «Код ОО» stays the school's own code (`code`).
_RESULTS_CODE_STEMS = ("фис око", "рцои", "логин", "оценочн")

# What people write in the «Категории» column: the portal's labels and the usual short forms.
_CATEGORY_WORDS = {
    "шнор": SchoolStatus.Category.LOW_RESULTS,
    "низкие результаты": SchoolStatus.Category.LOW_RESULTS,
    "низкие образовательные результаты": SchoolStatus.Category.LOW_RESULTS,
    "шссу": SchoolStatus.Category.HARD_SOCIAL_CONDITIONS,
    "сложные социальные условия": SchoolStatus.Category.HARD_SOCIAL_CONDITIONS,
    "зона риска": SchoolStatus.Category.RISK_ZONE,
    "депривированные": SchoolStatus.Category.DEPRIVED,
    "несправляющиеся": SchoolStatus.Category.NOT_COPING,
    "резильентные": SchoolStatus.Category.RESILIENT,
    "эффективные": SchoolStatus.Category.EFFECTIVE,
}
for _code, _label in SchoolStatus.Category.choices:
    _CATEGORY_WORDS.setdefault(normalize(_code), _code)
    _CATEGORY_WORDS.setdefault(normalize(_label), _code)
CATEGORY_HINT = (
    "ШНОР, ШССУ, зона риска, депривированные, несправляющиеся, резильентные, эффективные"
)

_FIELDS = ("name", "municipality", "inn", "code", "results_code", "address")
_FIELD_LABELS = {
    "name": "полное название",
    "municipality": "муниципалитет",
    "inn": "ИНН",
    "code": "код ОО",
    "results_code": "код ФИС ОКО / РЦОИ",
    "address": "адрес",
    "parent": "головная школа",
}


@dataclass
class SchoolChange:
    """What one school of the file will become."""

    row: int
    short_name: str
    school: Organization | None
    values: dict = field(default_factory=dict)
    parent_name: str = ""
    changes: list = field(default_factory=list)  # (label, old, new)
    statuses: set = field(default_factory=set)  # (year, category, source) to add

    @property
    def action(self):
        if self.school is None:
            return "create"
        return "update" if self.changes else "same"

    @property
    def status_labels(self):
        labels = dict(SchoolStatus.Category.choices)
        return [f"{year}: {labels[category]}" for year, category, _ in sorted(self.statuses)]


@dataclass
class SchoolImportPlan(ImportPlan):
    region: Region
    changes: list
    errors: list

    @property
    def status_count(self):
        return sum(len(c.statuses) for c in self.changes)

    @property
    def size(self):
        """Rows the plan writes: schools created or changed, and statuses added."""
        return len(self.creates) + len(self.updates) + self.status_count

    def apply(self, user):
        """Write the plan in one transaction, in a fixed number of statements however many
        schools the file has; every school touched must end up within the user's reach
        (`Organization.objects.editable_by`), or nothing is saved."""
        if self.errors:
            raise ValueError("A plan with errors is never applied.")
        # Counted before the write: a created school's change then holds the school and no
        # longer reads as «create».
        summary = {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": len(self.unchanged),
            "statuses": self.status_count,
        }
        updates = self.updates
        with transaction.atomic():
            new = [
                Organization(
                    kind=Organization.Kind.SCHOOL,
                    region=self.region,
                    short_name=c.short_name,
                    **{"name": c.short_name, **c.values},
                )
                for c in self.creates
            ]
            Organization.objects.bulk_create(new)
            for change, school in zip(self.creates, new, strict=True):
                change.school = school
            changed = []
            for change in updates:
                for name, value in change.values.items():
                    setattr(change.school, name, value)
                changed.append(change.school)
            update_rows(
                Organization,
                "id",
                _FIELDS,
                [
                    (o.pk, o.name, o.municipality_id, o.inn, o.code, o.results_code, o.address)
                    for o in changed
                ],
                {"updated_at": timezone.now()},
            )
            by_name = {normalize(c.short_name): c.school for c in self.changes}
            outside = [
                c.parent_name
                for c in self.changes
                if c.parent_name and normalize(c.parent_name) not in by_name
            ]
            if outside:
                by_name = {**_schools_by_name(self.region), **by_name}
            with_parent = []
            for change in self.changes:
                if change.parent_name:
                    parent = by_name[normalize(change.parent_name)]
                    if change.school.parent_id != parent.pk:
                        change.school.parent = parent
                        with_parent.append(change.school)
            update_rows(
                Organization,
                "id",
                ["parent"],
                [(o.pk, o.parent_id) for o in with_parent],
                {"updated_at": timezone.now()},
            )
            # Bulk writes send no signals: the figures of every program are marked changed.
            data_changed()
            SchoolStatus.objects.bulk_create(
                [
                    SchoolStatus(school=c.school, year=year, category=category, source=source)
                    for c in self.changes
                    for year, category, source in sorted(c.statuses)
                ]
            )
            touched = {c.school.pk for c in self.changes}
            allowed = set(
                Organization.objects.editable_by(user)
                .filter(pk__in=touched)
                .values_list("pk", flat=True)
            )
            if allowed != touched:
                raise PermissionDenied("Часть школ вне вашей территории.")
        return summary


def _guess_results_code(sheet):
    """Without the template's «Код ФИС ОКО / РЦОИ», the first column whose header names the
    code of the results tables in other words gives each row's `results_code`."""
    index = sheet.headers.get(normalize(HEADER["results_code"]))
    if index is None:
        index = next(
            (i for name, i in sheet.headers.items() if any(s in name for s in _RESULTS_CODE_STEMS)),
            None,
        )
    for _, row in sheet.rows:
        cells = row.pop("_cells")
        row["results_code"] = cells[index] if index is not None and index < len(cells) else None


def _schools_by_name(region):
    """The region's schools by their short name as people type it (one query)."""
    return {
        normalize(school.short_name): school
        for school in Organization.objects.filter(region=region).schools()
    }


def plan_school_import(content, region, user):
    """Read and check the workbook; raises `ImportFileError` when the file as a whole is wrong."""
    sheet = read_sheet(content, COLUMNS, allow_extra=True)
    _guess_results_code(sheet)
    municipalities = {normalize(m.name): m for m in Municipality.objects.filter(region=region)}
    covered = set(
        Municipality.objects.covered_by(user, coordinator=True)
        .filter(region=region)
        .values_list("pk", flat=True)
    )
    may_keep_regional = Region.objects.covered_whole_by(user, coordinator=True).contains(region)
    existing = list(Organization.objects.filter(region=region).select_related("municipality"))
    by_inn = {o.inn: o for o in existing if o.inn}
    by_results_code = {normalize(o.results_code): o for o in existing if o.results_code}
    by_name = {normalize(o.short_name): o for o in existing}
    editable = set(
        Organization.objects.editable_by(user).filter(region=region).values_list("pk", flat=True)
    )
    known_statuses = set(
        SchoolStatus.objects.filter(school__region=region).values_list(
            "school_id", "year", "category"
        )
    )

    errors = []
    changes = {}  # key -> SchoolChange
    first_row = {}
    file_codes = {}  # results code -> (school's key, first row)
    file_names = {normalize(cell_text(row["short_name"])) for _, row in sheet.rows}

    for number, row in sheet.rows:
        row_errors = []

        def wrong(key, message, number=number, row_errors=row_errors):
            row_errors.append(RowError(number, HEADER[key], message))

        text = {key: cell_text(value) for key, value in row.items()}
        short_name = text["short_name"]
        if not short_name:
            wrong("short_name", "Не заполнено краткое название.")
        elif len(short_name) > 200:
            wrong("short_name", "Краткое название длиннее 200 знаков.")
        values = {}
        if text["name"]:
            values["name"] = text["name"][:500]
        if text["municipality"]:
            municipality = municipalities.get(normalize(text["municipality"]))
            if municipality is None:
                wrong(
                    "municipality",
                    f"Муниципалитет «{text['municipality']}» не найден в регионе «{region}».",
                )
            elif municipality.pk not in covered:
                wrong("municipality", f"Муниципалитет «{municipality}» вне вашей территории.")
            else:
                values["municipality"] = municipality
        inn = text["inn"]
        if inn:
            if not re.fullmatch(r"\d{10}|\d{12}", inn):
                wrong("inn", "ИНН — 10 или 12 цифр.")
            else:
                values["inn"] = inn
        if text["code"]:
            values["code"] = text["code"][:32]
        results_code = text["results_code"]
        if results_code:
            if len(results_code) > 32:
                wrong("results_code", "Код ФИС ОКО / РЦОИ длиннее 32 знаков.")
            else:
                values["results_code"] = results_code
        if text["address"]:
            values["address"] = text["address"][:500]
        parent_name = text["parent"]
        if parent_name:
            if normalize(parent_name) == normalize(short_name):
                wrong("parent", "Школа не может быть филиалом самой себя.")
            elif normalize(parent_name) not in file_names:
                parent = by_name.get(normalize(parent_name))
                if parent is None or parent.kind != Organization.Kind.SCHOOL:
                    wrong("parent", f"Головная школа «{parent_name}» не найдена в регионе.")
                elif parent.parent_id:
                    wrong("parent", f"«{parent_name}» сама является филиалом.")
        statuses = set()
        if text["categories"]:
            year = _year(text["year"])
            if year is None:
                wrong("year", "Укажите год идентификации — число от 2000 до 2100.")
            for word in re.split(r"[;,\n]+", text["categories"]):
                if not word.strip():
                    continue
                category = _CATEGORY_WORDS.get(normalize(word))
                if category is None:
                    wrong(
                        "categories",
                        f"Неизвестная категория «{word.strip()}». Допустимо: {CATEGORY_HINT}.",
                    )
                elif year is not None:
                    statuses.add((year, category, text["source"][:300]))
        elif text["year"]:
            wrong("categories", "Год указан, а категории нет.")

        school = None
        if short_name:
            school = by_inn.get(inn) if inn else None
            named = by_name.get(normalize(short_name))
            if school is None:
                school = named
            elif named is not None and named.pk != school.pk:
                wrong(
                    "short_name",
                    f"Это краткое название уже у другой организации региона (ИНН {named.inn or '—'}).",
                )
            if school is not None:
                if school.kind != Organization.Kind.SCHOOL:
                    wrong(
                        "short_name", "Под этим названием в регионе не школа, а другая организация."
                    )
                elif school.pk not in editable:
                    wrong("short_name", "Эта школа вне вашей территории.")
            if school is None and not text["municipality"] and not may_keep_regional:
                wrong("municipality", "Укажите муниципалитет новой школы.")
            holder = by_results_code.get(normalize(results_code)) if results_code else None
            if holder is not None and (school is None or holder.pk != school.pk):
                # Unique in the region: the results import finds a school by it.
                wrong(
                    "results_code",
                    f"Код «{results_code}» уже у другой школы региона: «{holder.short_name}».",
                )
        if row_errors:
            errors.extend(row_errors)
            continue

        key = school.pk if school else normalize(short_name)
        if "results_code" in values:
            other_key, other_row = file_codes.setdefault(
                normalize(values["results_code"]), (key, number)
            )
            if other_key != key:
                errors.append(
                    RowError(
                        number,
                        HEADER["results_code"],
                        f"Этот код уже у другой школы файла (строка {other_row}).",
                    )
                )
                continue
        change = changes.get(key)
        if change is None:
            change = SchoolChange(row=number, short_name=short_name, school=school)
            changes[key] = change
            first_row[key] = number
        else:
            for name, value in values.items():
                if name in change.values and change.values[name] != value:
                    errors.append(
                        RowError(
                            number,
                            HEADER[name],
                            f"Школа уже есть в строке {first_row[key]} с другим значением.",
                        )
                    )
        change.values.update(values)
        if parent_name:
            change.parent_name = parent_name
        for year, category, source in statuses:
            known = school is not None and (school.pk, year, category) in known_statuses
            if not known and not any(s[:2] == (year, category) for s in change.statuses):
                change.statuses.add((year, category, source))

    errors.extend(_branch_errors(changes.values(), by_name, editable))
    for change in changes.values():
        if change.school is None:
            continue
        for name, value in change.values.items():
            old = getattr(change.school, name)
            if (old or "") != (value or ""):
                change.changes.append((_FIELD_LABELS[name], old or "—", value))
        if change.parent_name:
            old_parent = change.school.parent.short_name if change.school.parent_id else ""
            if normalize(old_parent) != normalize(change.parent_name):
                change.changes.append(("головная школа", old_parent or "—", change.parent_name))
        if change.statuses and not change.changes:
            change.changes.append(("статусы", "", ", ".join(change.status_labels)))
    errors.sort(key=lambda e: (e.row, e.column))
    return SchoolImportPlan(
        region=region, changes=sorted(changes.values(), key=lambda c: c.row), errors=errors
    )


def _municipality_of(change):
    if "municipality" in change.values:
        return change.values["municipality"]
    return change.school.municipality if change.school else None


def _branch_errors(changes, by_name, editable):
    """A branch's parent is a school the importer may edit, in the branch's municipality
    (`Organization.clean`; the database refuses anything else)."""
    in_file = {normalize(c.short_name): c for c in changes}
    for change in changes:
        if not change.parent_name:
            continue
        wanted = normalize(change.parent_name)
        if wanted in in_file:
            parent_municipality = _municipality_of(in_file[wanted])
        else:
            parent = by_name[wanted]
            if parent.pk not in editable:
                yield RowError(
                    change.row,
                    HEADER["parent"],
                    f"Головная школа «{change.parent_name}» вне вашей территории.",
                )
                continue
            parent_municipality = parent.municipality
        own = _municipality_of(change)
        if getattr(parent_municipality, "pk", None) != getattr(own, "pk", None):
            yield RowError(
                change.row,
                HEADER["parent"],
                f"Головная школа «{change.parent_name}» — в другом муниципалитете "
                f"({parent_municipality or 'без муниципалитета'}), а филиал должен быть в том же "
                f"({own or 'без муниципалитета'}).",
            )


def _year(text):
    try:
        year = int(float(text.replace(",", ".")))
    except (ValueError, AttributeError):
        return None
    return year if 2000 <= year <= 2100 else None


def school_template(region, user):
    """The workbook to fill in: the columns on the first sheet, and on the second how to fill
    them, the accepted categories and the municipalities of the region the user covers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Школы"
    sheet.append([c.header for c in COLUMNS])
    style_header(sheet, [28, 50, 24, 14, 12, 40, 28, 12, 24, 28])
    help_sheet = book.create_sheet("Справочник")
    help_sheet.append(["Как заполнить"])
    for line in (
        "Одна строка — одна школа и её категории за один год; за другой год — ещё одна строка.",
        "Школа узнаётся по ИНН, без него — по краткому названию; пустая ячейка не меняет данные.",
        "Категории перечисляются через «;», например: ШНОР; ШССУ.",
        "Филиал: в столбце «Головная школа» краткое название головной школы.",
        "",
    ):
        help_sheet.append([line])
    help_sheet.append(["Категории", f"Муниципалитеты: {region}"])
    names = list(
        Municipality.objects.covered_by(user, coordinator=True)
        .filter(region=region)
        .values_list("name", flat=True)
    )
    words = ["ШНОР", "ШССУ"] + [label for _, label in SchoolStatus.Category.choices[2:]]
    for index in range(max(len(words), len(names))):
        help_sheet.append(
            [
                words[index] if index < len(words) else None,
                names[index] if index < len(names) else None,
            ]
        )
    help_sheet.column_dimensions["A"].width = 60
    help_sheet.column_dimensions["B"].width = 36
    return book
