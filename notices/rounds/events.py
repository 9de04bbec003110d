"""Events: invitations, reminders 7 days and 1 day before, changes and cancellations."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Q

from core.access import any_of
from roadmaps.models import Event

from .. import recipients as who
from ..models import Kind, Notification, content_type_of
from .base import EVENT_REMINDERS, REMINDER_AFTER_INVITATION, Draft, event_state


class EventNotices:
    def _event_text(self, event, lead):
        lines = [
            lead,
            f"«{event.title}» ({event.get_kind_display()}), программа «{event.program}».",
            f"Начало: {self.zones.moment(event.starts_at, event.program_id)}.",
        ]
        if event.place:
            lines.append(f"Место: {event.place}.")
        if event.link:
            lines.append(f"Ссылка: {event.link}")
        return "\n".join(lines)

    def events(self):
        """Invitations to invited organizations' staff; reminders 7 days and 1 day before."""
        events = list(Event.objects.filter(starts_at__gt=self.now).select_related("program"))
        # Ids only: an event inviting every school of a region would load them all as objects
        # in every round, though only who works there matters.
        invited = defaultdict(set)
        for event_id, org_id in Event.invited.through.objects.filter(
            event_id__in=[e.pk for e in events]
        ).values_list("event_id", "organization_id"):
            invited[event_id].add(org_id)
        invited_at = {
            (r, o): created
            for r, o, created in Notification.objects.filter(
                kind=Kind.EVENT_INVITATION,
                content_type=content_type_of(Event),
                object_id__in=[e.pk for e in events],
            )
            .order_by()
            .values_list("recipient_id", "object_id", "created_at")
        }
        staff = who.staff_of(o for orgs in invited.values() for o in orgs)
        candidates = {}
        for event in events:
            users = set().union(*(staff.get(o, set()) for o in invited[event.pk]))
            if not self._reminder_due(event):
                # Those already invited need nothing until a reminder is due.
                users = {u for u in users if (u, event.pk) not in invited_at}
            candidates[event.pk] = users
        allowed = who.allowed(candidates, lambda user: Event.objects.visible_to(user), self.people)
        for event in events:
            users = allowed.get(event.pk, set())
            common = {
                "subject": event,
                "url": event.get_absolute_url(),
                "state": event_state(event),
                "happens_at": event.starts_at,
            }
            self.add(
                users,
                kind=Kind.EVENT_INVITATION,
                occasion="",
                title=f"Приглашение: {event.title}",
                body=self._event_text(event, "Ваша организация приглашена на событие."),
                **common,
            )
            ahead = event.starts_at - self.now
            for days in EVENT_REMINDERS:
                if timedelta(days=days - 1) < ahead <= timedelta(days=days):
                    told = {
                        u
                        for u in users
                        if (u, event.pk) in invited_at
                        and invited_at[(u, event.pk)] <= self.now - REMINDER_AFTER_INVITATION
                    }
                    when = "завтра" if days == 1 else f"через {days} дней"
                    self.add(
                        told,
                        kind=Kind.EVENT_REMINDER,
                        occasion=f"{days}:{event.starts_at.isoformat()}",
                        title=f"Событие {when}: {event.title}",
                        body=self._event_text(event, f"Напоминаем: событие {when}."),
                        **common,
                    )

    def _reminder_due(self, event):
        ahead = event.starts_at - self.now
        return any(
            timedelta(days=days - 1) < ahead <= timedelta(days=days) for days in EVENT_REMINDERS
        )

    def event_changes(self):
        """A changed start, end, place or link is told to everyone who was told of the event."""
        event_type = content_type_of(Event)
        # Only an event still ahead is told of a change.
        events = {
            event.pk: event
            for event in Event.objects.filter(starts_at__gt=self.now).select_related("program")
        }
        states = {pk: event_state(event) for pk, event in events.items()}
        notices = Notification.objects.filter(
            content_type=event_type,
            kind__in=[Kind.EVENT_INVITATION, Kind.EVENT_CHANGED],
            happens_at__gt=self.now - timedelta(days=1),
            object_id__among=states,
        )
        # The notices of a person and an event are read only when one of them promised other
        # than the event now says: when all promised what it says, so did the latest, and
        # nothing changed — a steady round reads none of the thousands of invitations.
        differ = set(
            notices.exclude(any_of(*(Q(object_id=pk, state=state) for pk, state in states.items())))
            .order_by()
            .values_list("recipient_id", "object_id")
            .distinct()
        )
        told = (
            notices.filter(
                recipient_id__among={r for r, _ in differ}, object_id__among={o for _, o in differ}
            )
            .order_by()
            .values_list("recipient_id", "object_id", "kind", "state", "created_at", "pk")
        )
        latest, changes = {}, defaultdict(int)
        for recipient, object_id, kind, state, created, pk in told:
            key = (recipient, object_id)
            if key not in differ:
                continue
            if key not in latest or (created, pk) > latest[key][1:]:
                latest[key] = (state, created, pk)
            if kind == Kind.EVENT_CHANGED:
                changes[key] += 1
        changed = {}
        for (recipient, object_id), (state, _, _) in latest.items():
            if states[object_id] == state:
                continue
            changed.setdefault(object_id, set()).add(recipient)
        # Everyone who was told still has to see the event now: asked in sets, per person.
        seeing = who.allowed(
            changed, lambda user: Event.objects.visible_to(user), self.people, by_person=True
        )
        for (recipient, object_id), _ in latest.items():
            if recipient not in seeing.get(object_id, ()):
                continue
            event = events[object_id]
            self.add(
                [recipient],
                kind=Kind.EVENT_CHANGED,
                subject=event,
                occasion=str(changes[(recipient, object_id)] + 1),
                title=f"Событие изменено: {event.title}",
                body=self._event_text(event, "Изменились время или место события."),
                url=event.get_absolute_url(),
                state=event_state(event),
                happens_at=event.starts_at,
            )

    def cancellations(self):
        """An invitation to an event still ahead whose event was deleted."""
        event_type = content_type_of(Event)
        orphans = (
            Notification.objects.filter(
                content_type=event_type, kind=Kind.EVENT_INVITATION, happens_at__gt=self.now
            )
            .exclude(object_id__in=Event.objects.values("pk"))
            .values_list("recipient_id", "object_id", "title", "body", "happens_at")
        )
        for recipient, object_id, title, body, happens_at in orphans:
            name = title.removeprefix("Приглашение: ")
            # The invitation printed the start in the region's zone; the event, and with it
            # its program's zone, is gone.
            start = next((line for line in body.splitlines() if line.startswith("Начало:")), "")
            self.drafts.append(
                Draft(
                    recipient_id=recipient,
                    kind=Kind.EVENT_CANCELLED,
                    subject=(event_type, object_id),
                    occasion="",
                    title=f"Событие отменено: {name}",
                    body=f"Событие «{name}» отменено. {start}".strip(),
                    happens_at=happens_at,
                )
            )
