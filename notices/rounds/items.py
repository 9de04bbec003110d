"""Roadmap deadlines: items due soon and items just late."""

from collections import defaultdict
from datetime import timedelta

from programs.models import Program
from roadmaps.models import RoadmapItem

from .. import recipients as who
from ..models import Kind
from .base import ITEM_REMINDERS, LOOKBACK, day_text


class ItemNotices:
    def items(self):
        """Items due in 7 days and in 1 day, and items that have just become late, to the
        responsible organizations' staff and the pair's curators."""
        due, late = [], []
        # Programs grouped by their region's date (`Program.local_today`), so that each item's
        # occasion is named by the day its own people are living.
        for today, program_ids in Program.objects.local_dates(self.now).items():
            items = RoadmapItem.objects.filter(roadmap__program_id__in=program_ids)
            due += [(i, today) for i in items.due_within(max(ITEM_REMINDERS), self.now)]
            late += [
                (i, today)
                for i in items.late(self.now).filter(
                    due_on__gte=today - LOOKBACK.days * timedelta(days=1)
                )
            ]
        told_due = self.told(Kind.ITEM_DUE, RoadmapItem, (i.pk for i, _ in due))
        due = [(i, t) for i, t in due if (i.pk, _due_occasion(i, t)) not in told_due]
        told_late = self.told(Kind.ITEM_LATE, RoadmapItem, (i.pk for i, _ in late))
        late = [(i, t) for i, t in late if (i.pk, i.due_on.isoformat()) not in told_late]
        if not due and not late:
            return
        all_items = {i.pk: i for i, _ in due + late}
        responsible = defaultdict(set)
        for pk, org_id in RoadmapItem.objects.filter(pk__in=all_items).values_list(
            "pk", "responsible"
        ):
            if org_id:
                responsible[pk].add(org_id)
        meta = {
            pk: (program_id, pair_id)
            for pk, program_id, pair_id in RoadmapItem.objects.filter(pk__in=all_items).values_list(
                "pk", "roadmap__program_id", "roadmap__pair_id"
            )
        }
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
                occasion=_due_occasion(item, today),
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
                occasion=item.due_on.isoformat(),
                title=f"Просрочено: {item}",
                body=f"Срок мероприятия дорожной карты «{item.title}» — "
                f"{day_text(item.due_on)} — прошёл, а оно не выполнено.",
                url=item.get_absolute_url(),
            )


def _due_occasion(item, today):
    """«7:…» until the day before the deadline, «1:…» from then: each told once per date."""
    days = 1 if item.due_on <= today + timedelta(days=1) else 7
    return f"{days}:{item.due_on.isoformat()}"
