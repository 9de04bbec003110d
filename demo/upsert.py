"""Write demo rows by their natural keys, touching the database only where a value differs.

A second `load_demo` must change nothing: no new rows, no new revisions (`RevisionedModel` bumps
its counter on every save) and no new history rows (simple-history writes one on every save and
on every change of a tracked many-to-many). So every write of the demo goes through `Loader`,
which looks a row up by its natural key and saves it only when it is new or a value differs.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import models

from programs.models import Module
from roadmaps.models import Roadmap, RoadmapItem
from schools.models import Organization


class Loader:
    """Upserts rows and counts what it created, changed and left alone."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()
        self.unchanged = Counter()

    def upsert(self, model, keys, values=None):
        """The row of `model` with the natural key `keys`, created or brought up to `values`.

        `keys` must identify at most one row; two rows with one key mean the data is broken and
        the error is left to surface rather than guessing which row is the demo's."""
        values = values or {}
        label = model._meta.verbose_name_plural
        try:
            obj = model.objects.get(**keys)
        except model.DoesNotExist:
            obj = model(**keys, **values)
            obj.full_clean()
            obj.save()
            self.created[label] += 1
            return obj
        changed = [name for name, value in values.items() if _differs(obj, name, value)]
        if not changed:
            self.unchanged[label] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        # A full save, not `update_fields`: a revisioned row must also store its new revision.
        obj.save()
        self.updated[label] += 1
        return obj

    def set_related(self, obj, name, objects):
        """Make the many-to-many `name` of `obj` hold exactly `objects`, writing only if it
        does not already (a tracked many-to-many adds a history row on every `set`)."""
        manager = getattr(obj, name)
        wanted = {o.pk for o in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            self.updated[f"{obj._meta.verbose_name_plural}: {name}"] += 1

    def ordered(self, model, program, rows):
        """Program parts listed in a fixed order (tasks, stages, results, roles): the demo's
        natural key of each is its position in the document."""
        return [
            self.upsert(model, {"program": program, "order": order}, values)
            for order, values in enumerate(rows, start=1)
        ]

    @property
    def totals(self):
        return (
            sum(self.created.values()),
            sum(self.updated.values()),
            sum(self.unchanged.values()),
        )


def _differs(obj, name, value):
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    # to_python puts the demo's value in the stored type: 80 and Decimal("80.00") are equal.
    return getattr(obj, field.attname) != field.to_python(value)


@dataclass(frozen=True)
class Item:
    """One roadmap item as the document writes it.

    `responsible` names organizations by their short names, resolved by the document's module;
    `responsible_note` keeps the cell as written, which also names people and roles."""

    title: str
    schedule: str
    number: str = ""
    responsible_note: str = ""
    result: str = ""
    module: str = ""
    responsible: tuple[str, ...] = ()


def load_roadmap(loader, program, title, items, organizations=None):
    """The program-level roadmap `title` of `program` with its items, dates derived from each
    item's wording, and responsible organizations looked up in `organizations` by short name.

    An item's natural key is its position in the document: items have no numbers in some
    documents and share a title in others (Хунзах items 12 and 16)."""
    organizations = organizations or {}
    roadmap = loader.upsert(
        Roadmap, {"program": program, "title": title}, {"level": Roadmap.Level.PROGRAM}
    )
    modules = {module.title: module for module in Module.objects.filter(program=program)}
    loaded = []
    for order, item in enumerate(items, start=1):
        dates = RoadmapItem(schedule_text=item.schedule)
        dates.apply_schedule(program)
        row = loader.upsert(
            RoadmapItem,
            {"roadmap": roadmap, "order": order},
            {
                "number": item.number,
                "title": item.title,
                "module": modules[item.module] if item.module else None,
                "schedule_text": item.schedule,
                "starts_on": dates.starts_on,
                "due_on": dates.due_on,
                "recurring": dates.recurring,
                "responsible_note": item.responsible_note,
                "expected_result": item.result,
            },
        )
        loader.set_related(row, "responsible", [organizations[name] for name in item.responsible])
        loaded.append(row)
    return roadmap, loaded


def organization(loader, region, short_name, **values):
    """An organization by its natural key: its short name within its region."""
    return loader.upsert(Organization, {"region": region, "short_name": short_name}, values)
