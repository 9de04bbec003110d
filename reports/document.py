"""The neutral structure a report definition builds and every renderer reads.

It holds values, not markup: a table cell keeps its Decimal, date or text, so the page and the
PDF format it the Russian way («85,5», «31.05.2023», «—») while the workbook stores a number or a
date Excel can compute with.
"""

from dataclasses import dataclass, field
from datetime import datetime

from core import timezones


@dataclass(frozen=True)
class Column:
    """A table column. `kind` is "text", "number" or "date"; `width` a CSS width for the page
    and the PDF (fixed widths also keep WeasyPrint from measuring every cell)."""

    title: str
    kind: str = "text"
    width: str | None = None

    @property
    def is_number(self):
        return self.kind == "number"


@dataclass(frozen=True)
class Cell:
    """A value with a tone: "good" (target met), "bad" (late, went backwards), "warn"."""

    value: object
    tone: str | None = None


@dataclass(frozen=True)
class Link:
    """A cell's text that leads somewhere: the report about one territory of a summary row.
    The page and the PDF make it a link, the workbook a hyperlink."""

    text: str
    url: str

    def __str__(self):
        return self.text


def value_of(cell):
    return cell.value if isinstance(cell, Cell) else cell


def tone_of(cell):
    return cell.tone if isinstance(cell, Cell) else None


@dataclass
class Row:
    """A row of values (or `Cell`s), one per column."""

    cells: list
    tone: str | None = None

    is_group = False

    @property
    def values(self):
        return [value_of(cell) for cell in self.cells]


@dataclass
class GroupRow:
    """A heading row across the whole table: a module, an indicator, a monitoring point."""

    text: str

    is_group = True

    @property
    def values(self):
        return [self.text]


@dataclass
class Table:
    """A table; `title` names it (the sheet of the workbook, the caption on the page).
    `column_groups` is an optional header row above the columns: (title, how many columns)."""

    title: str
    columns: list[Column]
    rows: list = field(default_factory=list)
    column_groups: list[tuple[str, int]] | None = None
    empty_text: str = "Нет данных."
    note: str = ""

    block = "table"

    @property
    def data_rows(self):
        return [row for row in self.rows if not row.is_group]


@dataclass
class Paragraph:
    text: str
    tone: str | None = None

    block = "paragraph"


@dataclass
class Facts:
    """Labelled values («Приказ: № 1030 от 30.12.2022»), shown as a two-column list."""

    items: list[tuple[str, object]]

    block = "facts"


@dataclass
class Chart:
    title: str
    svg: str


@dataclass
class Charts:
    """Charts laid out side by side, two in a row on paper."""

    charts: list[Chart]

    block = "charts"


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks):
        self.blocks.extend(block for block in blocks if block is not None)
        return self


@dataclass
class Report:
    """A whole report. `running_title` and `running_subtitle` go into the header of every PDF
    page (the program and its order); `made_at` is an aware datetime in the program's zone."""

    kind: str
    title: str
    subtitle: str
    running_title: str
    running_subtitle: str
    made_at: datetime
    filename: str
    sections: list[Section] = field(default_factory=list)
    landscape: bool = False

    @property
    def made_text(self):
        """«23.11.2026 14:05 (время екатеринбургское, UTC+5)»: the moment in the program's own
        zone, named, since a file travels without the page that would name it."""
        return timezones.moment_with_clock(self.made_at, getattr(self.made_at.tzinfo, "key", None))

    def add(self, section):
        if section is not None:
            self.sections.append(section)
        return section

    def tables(self):
        return [block for s in self.sections for block in s.blocks if block.block == "table"]
