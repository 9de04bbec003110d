"""The rules of lateness and completion of roadmap items, said once: the states an item (and each
responsible organization's part of it) goes through, «просрочено» in the program region's date,
and the completion counts every page and report shows."""

from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Count, Q

from programs.models import Program


class ItemStatus(models.TextChoices):
    """The state of an item, and of each responsible organization's execution of it."""

    PLANNED = "planned", "запланировано"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнено"
    NOT_DONE = "not_done", "не выполнено"
    CANCELLED = "cancelled", "отменено"


# Items in these states can no longer be late.
CLOSED = (ItemStatus.DONE, ItemStatus.CANCELLED)


def on_local_date(condition, now=None, programs=None, item=""):
    """A Q that holds `condition(today)` for each item with `today` its program region's date
    (`Program.local_today`). The programs are grouped by their date; when all share one (most of
    the day in one country) the condition is plain, without a join to the program. `item`: the
    path from the rows filtered to the item («» for items, «items» for roadmaps, «item» for
    executions). `programs`: the programs the items belong to; all programs by default (one
    query)."""
    if programs is None:
        dates = Program.objects.local_dates(now)
    else:
        dates = Program.group_by_local_date(programs, now)
    if not dates:
        return Q(pk__in=[])
    prefix = f"{item}__" if item else ""
    if len(dates) == 1:
        return _prefixed(condition(next(iter(dates))), prefix)
    return reduce(
        or_,
        (
            Q(**{f"{prefix}roadmap__program__in": ids}) & _prefixed(condition(day), prefix)
            for day, ids in sorted(dates.items())
        ),
    )


def _prefixed(q, prefix):
    """The Q with every lookup moved behind `prefix`."""
    if not prefix:
        return q
    moved = Q()
    moved.connector, moved.negated = q.connector, q.negated
    moved.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    return moved


def late_condition(now=None, programs=None, item="", status=None):
    """«Просрочено», said once: the item (through `item`) is open — neither done nor cancelled —
    and its deadline is before today in its program region's date. `status`: the field that
    holds the state, when it is not the item's own (an organization's execution)."""
    prefix = f"{item}__" if item else ""
    status = status or f"{prefix}status"
    return ~Q(**{f"{status}__in": CLOSED}) & on_local_date(
        lambda today: Q(due_on__lt=today), now, programs, item
    )


COMPLETION = ("total", "done", "in_progress", "not_done", "planned", "cancelled", "late")


def completion_annotations(now=None, *, programs=None, item="", status=None, count="pk"):
    """The completion counts as conditional `Count`s, for `aggregate` or for a grouped
    `values(...).annotate(...)` (by module, responsible, roadmap, program): the rule of
    `RoadmapItemQuerySet.completion`. `item`: the path to the item from the rows counted;
    `status`: the field holding the state (an execution's own, for counts by responsible);
    `count`: what is counted («pk» for the rows, «items» for a roadmap's items)."""
    prefix = f"{item}__" if item else ""
    status = status or f"{prefix}status"
    distinct = count != "pk"
    Status = ItemStatus

    def counted(condition):
        return Count(count, filter=condition, distinct=distinct)

    return {
        "total": counted(~Q(**{status: Status.CANCELLED})),
        "done": counted(Q(**{status: Status.DONE})),
        "in_progress": counted(Q(**{status: Status.IN_PROGRESS})),
        "not_done": counted(Q(**{status: Status.NOT_DONE})),
        "planned": counted(Q(**{status: Status.PLANNED})),
        "cancelled": counted(Q(**{status: Status.CANCELLED})),
        "late": counted(late_condition(now, programs, item, status)),
    }


def completion_share(done, total):
    """Done out of total (cancelled items left out of both), in %, one decimal; None when
    there is nothing to count. Rounded half up, as the reports print it."""
    if not total:
        return None
    return float((Decimal(done) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def with_share(counts):
    """A row of completion counts with its `share`."""
    counts["share"] = completion_share(counts.get("done") or 0, counts.get("total") or 0)
    return counts
