"""Roadmap deadlines: items due soon and items just late."""

from collections import defaultdict
from datetime import timedelta
from functools import lru_cache

from django.db.models import F

from programs.models import Program
from roadmaps.models import ItemExecution, RoadmapItem

from .. import recipients as who
from ..models import Kind
from .base import ITEM_REMINDERS, day_text


class ItemNotices:
    def items(self):
        """Items due in 7 days and in 1 day, and items that have just become late, to the
        responsible organizations' staff and the pair's curators."""
        due, late = [], []  # (item id, its deadline, today in its program's region)
        # Programs grouped by their region's date (`Program.local_today`), so that each item's
        # occasion is named by the day its own people are living.
        for today, program_ids in Program.objects.local_dates(self.now).items():
            items = RoadmapItem.objects.filter(roadmap__program_id__in=program_ids)
            due += [
                (pk, due_on, today)
                for pk, due_on in items.due_within(max(ITEM_REMINDERS), self.now).values_list(
                    "pk", "due_on"
                )
            ]
            late += [
                (pk, due_on, today)
                for pk, due_on in items.late(self.now)
                .filter(due_on__gte=today - self.lookback.days * timedelta(days=1))
                .values_list("pk", "due_on")
            ]
        # Ids and dates first: a round that finds them told loads no item.
        told_due = self.told(Kind.ITEM_DUE, RoadmapItem, (pk for pk, _, _ in due))
        due = [d for d in due if (d[0], _due_occasion(*d[1:])) not in told_due]
        told_late = self.told(Kind.ITEM_LATE, RoadmapItem, (pk for pk, _, _ in late))
        late = [d for d in late if (d[0], _late_occasion(d[1])) not in told_late]
        if not due and not late:
            return
        all_items = {
            item.pk: item
            for item in RoadmapItem.objects.filter(pk__among={pk for pk, _, _ in due + late})
            .annotate(program_of=F("roadmap__program_id"), pair_of=F("roadmap__pair_id"))
            .order_by()
        }
        due = [(all_items[pk], today) for pk, _, today in due if pk in all_items]
        late = [(all_items[pk], today) for pk, _, today in late if pk in all_items]
        # Each responsible organization is reminded by its own part: a school that has done its
        # share of a shared item is told nothing about the others' delay.
        responsible = defaultdict(set)
        for pk, org_id in (
            ItemExecution.objects.filter(item__among=all_items)
            .exclude(status__in=RoadmapItem.CLOSED)
            .order_by()
            .values_list("item", "organization")
        ):
            responsible[pk].add(org_id)
        meta = {pk: (item.program_of, item.pair_of) for pk, item in all_items.items()}
        staff = who.staff_of(o for orgs in responsible.values() for o in orgs)
        curators = who.curators_of(
            (meta[pk][0], org) for pk, orgs in responsible.items() for org in orgs
        )
        pairs = who.pair_curators(pair for _, pair in meta.values() if pair)
        candidates = {}
        for pk in all_items:
            program_id, pair_id = meta[pk]
            users = set(pairs.get(pair_id, set())) if pair_id else set()
            for org in responsible[pk]:
                users |= staff.get(org, set()) | curators.get((program_id, org), set())
            candidates[pk] = users
        allowed = who.allowed(
            candidates, lambda user: RoadmapItem.objects.visible_to(user), self.people
        )
        for item, today in due:
            when = {0: "сегодня", 1: "завтра"}.get((item.due_on - today).days)
            when = when or f"через {(item.due_on - today).days} дн."
            self.add(
                allowed.get(item.pk, set()),
                kind=Kind.ITEM_DUE,
                subject=item,
                occasion=_due_occasion(item.due_on, today),
                title=f"Срок {when}: {item}",
                body=f"Мероприятие дорожной карты «{item.title}» нужно выполнить до "
                f"{day_text(item.due_on)}.",
                url=item.get_absolute_url(),
            )
        for item, _ in late:
            self.add(
                allowed.get(item.pk, set()),
                kind=Kind.ITEM_LATE,
                subject=item,
                occasion=_late_occasion(item.due_on),
                title=f"Просрочено: {item}",
                body=f"Срок мероприятия дорожной карты «{item.title}» — "
                f"{day_text(item.due_on)} — прошёл, а оно не выполнено.",
                url=item.get_absolute_url(),
            )


# Thousands of items of a round share a few deadlines: each occasion is written once.
@lru_cache(maxsize=4096)
def _due_occasion(due_on, today):
    """«7:…» until the day before the deadline, «1:…» from then: each told once per date."""
    days = 1 if due_on <= today + timedelta(days=1) else 7
    return f"{days}:{due_on.isoformat()}"


@lru_cache(maxsize=4096)
def _late_occasion(due_on):
    """The deadline missed: told once per date."""
    return due_on.isoformat()
