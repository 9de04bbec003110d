"""Marking a program's data as changed, for writes that bypass model signals.

The dashboards keep their figures until the data under them changes. Saves, deletes and
many-to-many changes of the models the figures read are seen by signals (dashboards/cache.py);
a write that bypasses them (bulk_create, bulk_update, queryset.update, raw SQL) calls
`data_changed(program_id)` itself, or `data_changed()` when it touches rows every program reads.
The mark is written in the writer's transaction, so a reader that sees the new version also sees
the new data.
"""

EVERY_PROGRAM = "all"


def program_key(program_id):
    return f"program:{program_id}"


def data_changed(program_id=None):
    from .models import DataChange

    DataChange.objects.create(key=EVERY_PROGRAM if program_id is None else program_key(program_id))


def versions(program_id):
    """(the latest change of the program, the latest change of every program), in one query."""
    from django.db.models import Max

    from .models import DataChange

    found = dict(
        DataChange.objects.filter(key__in=[program_key(program_id), EVERY_PROGRAM])
        .values("key")
        .annotate(last=Max("id"))
        .values_list("key", "last")
    )
    return found.get(program_key(program_id), 0), found.get(EVERY_PROGRAM, 0)


def last_changed_on(program_id):
    """The date of a program's data (дата актуальности): the day of the last change of its data
    or of the data every program reads; today when nothing is recorded."""
    from django.db.models import Max
    from django.utils import timezone

    from .models import DataChange

    last = DataChange.objects.filter(key__in=[program_key(program_id), EVERY_PROGRAM]).aggregate(
        last=Max("changed_at")
    )["last"]
    return timezone.localdate(last) if last else timezone.localdate()
