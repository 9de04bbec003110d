"""A roadmap read from the order itself: the plan-graph table of a .docx order or an .xlsx book.

Authorities keep their plan (план-график, план мероприятий) as a table with columns such as
«№ п/п», «Мероприятие», «Сроки», «Ответственные», «Ожидаемый результат / Показатель», often
with a row merged across the table for each module or direction. Reading it takes three steps,
each a function of this package, so that the page and `manage.py import_roadmap` show the same preview:

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

from .columns import Column, Meaning, check_meanings, column_headers, guess_columns
from .matching import matchable_organizations
from .planning import PlannedItem, PlannedModule, RoadmapPlan, SkippedRow, plan_import
from .reading import EXTENSIONS, MAX_ROWS, Table, read_tables

__all__ = [
    "EXTENSIONS",
    "MAX_ROWS",
    "Column",
    "Meaning",
    "PlannedItem",
    "PlannedModule",
    "RoadmapPlan",
    "SkippedRow",
    "Table",
    "check_meanings",
    "column_headers",
    "guess_columns",
    "matchable_organizations",
    "plan_import",
    "read_tables",
]
