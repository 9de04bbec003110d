"""What the expertise of a document comes to: the consolidated result of one version's sheets,
and what changed since the previous reviewed version (the scores, the remarks it answers, and
the text of the file where the format allows reading it)."""

import difflib
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree

from django.db.models import Prefetch

from .models import Assignment, Score

# Lines of a text comparison shown; the rest is summed up.
DIFF_LINES = 200
# The XML part that holds the text, by extension.
TEXT_PARTS = {"docx": "word/document.xml", "odt": "content.xml"}


@dataclass
class CriterionRow:
    criterion: object
    scores: list = field(default_factory=list)
    previous_average: Decimal | None = None

    @property
    def average(self):
        return _average(self.scores)

    @property
    def change(self):
        if self.average is None or self.previous_average is None:
            return None
        return self.average - self.previous_average


@dataclass
class Result:
    """The sheets of one version of a document, taken together."""

    version: int
    sheets: list
    rows: list
    previous: "Result | None" = None

    @property
    def decided(self):
        return [s for s in self.sheets if s.is_decided]

    @property
    def pending(self):
        return [s for s in self.sheets if not s.is_decided]

    @property
    def passed(self):
        return sum(1 for s in self.sheets if s.verdict == Assignment.Verdict.PASSED)

    @property
    def revision(self):
        return sum(1 for s in self.sheets if s.verdict == Assignment.Verdict.REVISION)

    @property
    def verdict(self):
        """«соответствует» when every sheet says so, «на доработку» when any sheet does, None
        while a sheet is open: the rule `services.consolidate` applies to the document."""
        if not self.sheets or self.pending:
            return None
        return Assignment.Verdict.REVISION if self.revision else Assignment.Verdict.PASSED

    @property
    def verdict_display(self):
        return dict(Assignment.Verdict.choices).get(self.verdict, "ожидается")


def _average(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def sheets_of(document):
    """Every sheet of the document with its reviewer, round and scores: two queries. Each
    sheet knows the document itself, so that asking whether it is overdue
    (`Assignment.is_overdue`) reads the program's region once."""
    sheets = list(
        Assignment.objects.filter(review__document=document)
        .select_related("review__reviewer", "organization", "round")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("-version", "assigned_at")
    )
    for sheet in sheets:
        sheet.review.document = document
    return sheets


def results_by_version(sheets):
    """The consolidated result of each reviewed version, newest first, each knowing the
    previous reviewed version's result."""
    versions = sorted({s.version for s in sheets})
    results, previous = [], None
    for version in versions:
        own = [s for s in sheets if s.version == version]
        by_criterion = {}
        for sheet in own:
            for score in sheet.scores.all():
                row = by_criterion.setdefault(score.criterion_id, CriterionRow(score.criterion))
                if sheet.is_decided:
                    row.scores.append(score.score)
        rows = sorted(by_criterion.values(), key=lambda r: (r.criterion.order, r.criterion.pk))
        if previous is not None:
            before = {r.criterion.pk: r.average for r in previous.rows}
            for row in rows:
                row.previous_average = before.get(row.criterion.pk)
        result = Result(version=version, sheets=own, rows=rows, previous=previous)
        results.append(result)
        previous = result
    return list(reversed(results))


def file_text(stored_file):
    """The text of a .docx or .odt file, paragraph by paragraph; None for other formats or an
    unreadable file (a PDF's text is not read: its layout makes a line diff meaningless)."""
    name = getattr(stored_file, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    part = TEXT_PARTS.get(ext)
    if part is None:
        return None
    try:
        with stored_file.open("rb") as handle, zipfile.ZipFile(handle) as package:
            root = ElementTree.fromstring(package.read(part))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return None
    paragraphs = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "p":
            text = "".join(element.itertext()).strip()
            if text:
                paragraphs.append(re.sub(r"\s+", " ", text))
    return paragraphs


def text_changes(older_version, newer_version):
    """What changed in the text between two `DocumentVersion`s: lists of ("+" / "-", line),
    or None when either file's text cannot be read."""
    if older_version is None or newer_version is None:
        return None
    before, after = file_text(older_version.file), file_text(newer_version.file)
    if before is None or after is None:
        return None
    lines = []
    for line in difflib.ndiff(before, after):
        if line[:1] in "+-":
            lines.append((line[0], line[2:]))
    return lines[:DIFF_LINES]
