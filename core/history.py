"""The change history of a row (django-simple-history), as the page shows it: when, who, and
which fields went from what to what; and of several rows one form saves together (a school's
sheet at a monitoring point), one entry per save naming each row it changed.

Consecutive records are compared in Python, field by field, so a page shows a history of any
length with one query (`history.select_related("history_user")`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, localize


@dataclass
class Change:
    label: str
    old: str
    new: str
    # The row the change is of, in a history of several rows («3. Доля обучающихся…»).
    subject: str = ""


@dataclass
class HistoryRow:
    when: object
    who: str
    kind: str  # «создано», «изменено», «удалено»
    changes: list[Change] = field(default_factory=list)


KINDS = {"+": "создано", "~": "изменено", "-": "удалено"}


def _shown(record, name):
    """A field's value as a person reads it: the choice label, a date, «да»/«нет», or «—»."""
    display = getattr(record, f"get_{name}_display", None)
    value = display() if display is not None else getattr(record, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Decimal):
        value = value.normalize() + 0
    if hasattr(value, "year") and not hasattr(value, "hour"):
        return date_format(value, "d.m.Y")
    return str(localize(value))


def history_rows(records, fields):
    """Rows for `records` (newest first, as simple-history orders them) listing changes of the
    named `fields` only; a record that changed none of them (a save of other fields) is left
    out, except the creation. A row made without history (in bulk) has no records: no rows."""
    records = list(records)
    if not records:
        return []
    model = records[0].instance_type if records else None
    labels = {}
    if model is not None:
        labels = {name: str(model._meta.get_field(name).verbose_name) for name in fields}
    rows = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        user = newer.history_user
        who = (user.get_full_name() or user.get_username()) if user else "система"
        row = HistoryRow(when=newer.history_date, who=who, kind=KINDS[newer.history_type])
        if older is not None and newer.history_type == "~":
            for name in fields:
                old, new = _shown(older, name), _shown(newer, name)
                if old != new:
                    row.changes.append(Change(labels[name], old, new))
            if not row.changes:
                continue
        elif newer.history_type == "+":
            row.changes = [
                Change(labels[name], "", _shown(newer, name))
                for name in fields
                if _shown(newer, name) != "—"
            ]
        rows.append(row)
    return rows


def grouped_history(histories, fields):
    """One entry per save of several rows: `histories` is [(subject, records)], the history of
    each row (newest first) with the name the page gives it. Rows saved at the same moment by
    the same person make one entry whose changes name their row; newest first."""
    entries = {}
    for subject, records in histories:
        for row in history_rows(records, fields):
            # One form's save gives every row it writes the same moment (`_history_date`).
            key = (row.when, row.who)
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = HistoryRow(when=row.when, who=row.who, kind=row.kind)
            elif entry.kind != row.kind:
                entry.kind = KINDS["~"]
            entry.changes.extend(
                Change(change.label, change.old, change.new, subject) for change in row.changes
            )
    return sorted(entries.values(), key=lambda entry: entry.when, reverse=True)
