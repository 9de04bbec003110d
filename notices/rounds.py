"""A due round: what must be told now, derived from the data, stored as notifications.

Nothing in the other apps calls this module. Each round looks at the data as it is — events
ahead, deadlines, the status and history of values and documents, open monitoring points —
and proposes notices; the unique constraint on `Notification` drops those already stored, so
running a round again, or two at once, creates nothing twice. Dates («за 7 дней», «сегодня»)
are counted in each program region's time zone, and texts print times there.

An event's change or cancellation leaves no status behind, so the round remembers what it told:
each event notice keeps the event's state (start, end, place, link), and a later state differs;
an invitation whose event is gone, for an event still ahead, becomes a cancellation.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from expertise.models import Assignment
from monitoring.models import Indicator, Measurement, MonitoringPoint
from programs.models import Document, Program, Review
from roadmaps.models import Event, RoadmapItem
from schools.models import Municipality, Organization, Region

from . import recipients as who
from .models import Consultation, EmailOptOut, Kind, Notification, content_type_of

# Values and documents are looked at this far back, so a round that did not run for a while
# (a stopped timer, a failed deploy) still tells what happened meanwhile.
LOOKBACK = timedelta(hours=getattr(settings, "NOTICES_LOOKBACK_HOURS", 72))
LOOKBACK_DAYS = timedelta(days=max(LOOKBACK.days, 1))
# Days before its deadline a reviewer is reminded of an undecided expertise sheet.
SHEET_REMINDER_DAYS = 3
WAITING = timedelta(hours=48)
EVENT_REMINDERS = (7, 1)
ITEM_REMINDERS = (7, 1)
POINT_DEADLINE_DAYS = 3
# A reminder does not follow an invitation sent less than this long ago.
REMINDER_AFTER_INVITATION = timedelta(hours=12)


@dataclass
class Draft:
    recipient_id: int
    kind: str
    subject: object
    occasion: str
    title: str
    body: str = ""
    url: str = ""
    state: str = ""
    happens_at: datetime | None = None
    # Kept for the record only: stored as read, no letter.
    quiet: bool = False


@dataclass
class Zones:
    """Each program's time zone and today's date in it."""

    now: datetime
    names: dict = field(default_factory=dict)

    @classmethod
    def load(cls, now):
        zones = cls(now)
        programs = Program.objects.select_related("region", "municipality__region").only(
            "pk", "region__timezone", "municipality__region__timezone"
        )
        for program in programs:
            zones.names[program.pk] = program.timezone_name
        return zones

    def zone(self, program_id):
        return ZoneInfo(self.names.get(program_id, settings.TIME_ZONE))

    def today(self, program_id):
        return timezone.localtime(self.now, self.zone(program_id)).date()

    def by_zone(self):
        """{zone name: [program ids]}."""
        grouped = defaultdict(list)
        for pk, name in self.names.items():
            grouped[name].append(pk)
        return grouped

    def moment(self, value, program_id):
        """A time as people of the program's region read it: «05.12.2026 10:00 (Asia/Yekaterinburg)»."""
        local = timezone.localtime(value, self.zone(program_id))
        return f"{local:%d.%m.%Y %H:%M} ({self.names.get(program_id, settings.TIME_ZONE)})"

    def day(self, value, program_id):
        return timezone.localtime(value, self.zone(program_id)).date()


def day_text(day):
    return date_format(day, "j E Y")


def event_state(event):
    """What an event notice promised: a change of any of these is told again."""
    raw = f"{event.starts_at.isoformat()}|{event.ends_at and event.ends_at.isoformat()}|{event.place}|{event.link}"
    return hashlib.sha1(raw.encode()).hexdigest()


class Round:
    """One pass over the data; `run()` stores the notices and returns how many are new."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.zones = Zones.load(self.now)
        self.drafts: list[Draft] = []
        # Users met in this round, each with their `Reach` computed once.
        self.people = {}

    def told(self, kind, model, object_ids):
        """(object id, occasion) pairs of `kind` already stored for anyone: an occasion is
        told once, to those who may know of it then, so later rounds skip it before asking
        anyone's access rules — a steady round costs a query per kind, not per person."""
        return set(
            Notification.objects.filter(
                kind=kind, content_type=content_type_of(model), object_id__in=set(object_ids)
            ).values_list("object_id", "occasion")
        )

    def add(self, user_ids, **fields):
        for user_id in user_ids:
            self.drafts.append(Draft(recipient_id=user_id, **fields))

    def run(self):
        self.event_changes()
        self.events()
        self.cancellations()
        self.items()
        self.values()
        self.documents()
        self.sheets()
        self.points()
        self.consultations()
        self.digests()
        return store(self.drafts, self.now)

    # Events -----------------------------------------------------------------------------

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
        events = list(
            Event.objects.filter(starts_at__gt=self.now)
            .select_related("program")
            .prefetch_related("invited")
        )
        invited_at = {
            (r, o): created
            for r, o, created in Notification.objects.filter(
                kind=Kind.EVENT_INVITATION,
                content_type=content_type_of(Event),
                object_id__in=[e.pk for e in events],
            ).values_list("recipient_id", "object_id", "created_at")
        }
        staff = who.staff_of(o.pk for e in events for o in e.invited.all())
        candidates = {}
        for event in events:
            users = set().union(*(staff.get(o.pk, set()) for o in event.invited.all()))
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
        told = Notification.objects.filter(
            content_type=event_type,
            kind__in=[Kind.EVENT_INVITATION, Kind.EVENT_CHANGED],
            happens_at__gt=self.now - timedelta(days=1),
        ).values_list("recipient_id", "object_id", "kind", "state", "created_at", "pk")
        latest, changes = {}, defaultdict(int)
        for recipient, object_id, kind, state, created, pk in told:
            key = (recipient, object_id)
            if key not in latest or (created, pk) > latest[key][1:]:
                latest[key] = (state, created, pk)
            if kind == Kind.EVENT_CHANGED:
                changes[key] += 1
        events = Event.objects.select_related("program").in_bulk({o for _, o in latest})
        for (recipient, object_id), (state, _, _) in latest.items():
            event = events.get(object_id)
            if event is None or event.starts_at <= self.now or event_state(event) == state:
                continue
            if not Event.objects.visible_to(_user(recipient)).filter(pk=event.pk).exists():
                continue
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

    # Roadmap deadlines ------------------------------------------------------------------

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

    # Values -----------------------------------------------------------------------------

    def values(self):
        """Values of one school at one point: returned or approved — to the school; submitted,
        and waiting more than 48 hours — to those who may approve them."""
        since = self.now - LOOKBACK
        status = Measurement.Status
        groups = defaultdict(dict)  # kind -> {(point, org): (when, a measurement id)}
        rows = Measurement.objects.filter(organization__isnull=False)
        for kind, queryset, moment in (
            (
                Kind.VALUES_SUBMITTED,
                rows.filter(status=status.SUBMITTED, submitted_at__gte=since),
                "submitted_at",
            ),
            (
                Kind.VALUES_WAITING,
                rows.filter(status=status.SUBMITTED, submitted_at__lt=self.now - WAITING),
                "submitted_at",
            ),
            (
                Kind.VALUES_APPROVED,
                rows.filter(status=status.APPROVED, approved_at__gte=since),
                "approved_at",
            ),
        ):
            for point, org, when, pk in (
                queryset.order_by()
                .values("point", "organization")
                .annotate(when=Min(moment), any=Max("pk"))
                .values_list("point", "organization", "when", "any")
            ):
                groups[kind][(point, org)] = (when, pk)
        returned = (
            Measurement.history.filter(
                status=status.RETURNED, history_date__gte=since, organization__isnull=False
            )
            .order_by()
            .values("point", "organization")
            .annotate(when=Max("history_date"), any=Max("id"))
            .values_list("point", "organization", "when", "any")
        )
        for point, org, when, pk in returned:
            groups[Kind.VALUES_RETURNED][(point, org)] = (when, pk)
        keys = {key for found in groups.values() for key in found}
        if not keys:
            return
        points = MonitoringPoint.objects.select_related("program").in_bulk({p for p, _ in keys})

        def occasion(point_id, org_id, when):
            day = self.zones.day(when, points[point_id].program_id)
            return f"{org_id}:{day.isoformat()}"

        for kind, found in groups.items():
            told = self.told(kind, MonitoringPoint, (p for p, _ in found))
            groups[kind] = {
                (p, o): (when, pk)
                for (p, o), (when, pk) in found.items()
                if (p, occasion(p, o, when)) not in told
            }
        keys = {key for found in groups.values() for key in found}
        if not keys:
            return
        orgs = Organization.objects.in_bulk({o for _, o in keys})
        school_staff = who.staff_of(o for _, o in keys)
        approvers = self._approvers(
            {
                key: pk
                for kind in (Kind.VALUES_SUBMITTED, Kind.VALUES_WAITING)
                for key, (_, pk) in groups[kind].items()
            },
            points,
        )
        # The school sees its values; a returned value may since have been deleted, so the
        # check runs on the point, which the school sees with its program.
        schools_at = defaultdict(set)
        for point_id, org_id in keys:
            schools_at[point_id] |= school_staff.get(org_id, set())
        school_side = who.allowed(
            schools_at,
            lambda user: MonitoringPoint.objects.visible_to(user),
            self.people,
        )
        texts = {
            Kind.VALUES_SUBMITTED: ("Значения отправлены на проверку", "отправила значения"),
            Kind.VALUES_WAITING: ("Значения ждут проверки больше 48 часов", "ждёт проверки"),
            Kind.VALUES_RETURNED: ("Значения возвращены на доработку", "вернули на доработку"),
            Kind.VALUES_APPROVED: ("Значения утверждены", "утвердили"),
        }
        for kind, found in groups.items():
            for (point_id, org_id), (when, _) in found.items():
                point, org = points[point_id], orgs[org_id]
                program_id = point.program_id
                if kind in (Kind.VALUES_SUBMITTED, Kind.VALUES_WAITING):
                    users = approvers.get((point_id, org_id), set())
                    body = (
                        f"{org.short_name or org.name}: значения показателей в точке «{point}» "
                        f"программы «{point.program}» отправлены "
                        f"{self.zones.moment(when, program_id)} и ждут утверждения."
                    )
                else:
                    users = school_staff.get(org_id, set()) & school_side.get(point_id, set())
                    verdict = (
                        "возвращены на доработку" if kind == Kind.VALUES_RETURNED else "утверждены"
                    )
                    body = (
                        f"Значения показателей {org.short_name or org.name} в точке «{point}» "
                        f"программы «{point.program}» {verdict}."
                    )
                self.add(
                    users,
                    kind=kind,
                    subject=point,
                    occasion=occasion(point_id, org_id, when),
                    title=f"{texts[kind][0]}: {point} — {org.short_name or org.name}",
                    body=body,
                    url=reverse("monitoring:entry", args=[point_id, org_id]),
                )

    def _approvers(self, representatives, points):
        """{(point, org): {user ids}} who may approve the school's values at the point, checked
        on one value of each (`representatives`: {(point, org): measurement id})."""
        orgs = Organization.objects.in_bulk({o for _, o in representatives})
        territorial = who.territory_coordinators(
            (o.pk, o.region_id, o.municipality_id) for o in orgs.values()
        )
        program_side = who.program_coordinators(p.program_id for p in points.values())
        curators = who.curators_of((points[p].program_id, o) for p, o in representatives)
        candidates = {}
        for (point_id, org_id), pk in representatives.items():
            program_id = points[point_id].program_id
            candidates[pk] = (
                territorial.get(org_id, set())
                | program_side.get(program_id, set())
                | curators.get((program_id, org_id), set())
            )
        allowed = who.allowed(
            candidates, lambda user: Measurement.objects.approvable_by(user), self.people
        )
        return {key: allowed.get(pk, set()) for key, pk in representatives.items()}

    # Documents --------------------------------------------------------------------------

    def documents(self):
        """A school's document: returned or approved — to the school; submitted, and waiting
        more than 48 hours — to its reviewers."""
        since = self.now - LOOKBACK
        status = Document.Status
        kinds = {
            status.SUBMITTED: Kind.DOCUMENT_SUBMITTED,
            status.NEEDS_REVISION: Kind.DOCUMENT_RETURNED,
            status.APPROVED: Kind.DOCUMENT_APPROVED,
        }
        found = {}  # (kind, document id) -> when
        for doc_id, doc_status, when in (
            Document.history.filter(
                history_date__gte=since, status__in=kinds, organization__isnull=False
            )
            .order_by()
            .values("id", "status")
            .annotate(when=Max("history_date"))
            .values_list("id", "status", "when")
        ):
            found[(kinds[doc_status], doc_id)] = when
        for doc_id, when in Document.objects.filter(
            status=status.SUBMITTED, organization__isnull=False, updated_at__lt=self.now - WAITING
        ).values_list("pk", "updated_at"):
            found[(Kind.DOCUMENT_WAITING, doc_id)] = when
        if not found:
            return
        program_of = dict(
            Document.objects.filter(pk__in={d for _, d in found}).values_list("pk", "program_id")
        )

        def occasion(doc_id, when):
            return self.zones.day(when, program_of[doc_id]).isoformat()

        found = {
            (kind, doc_id): when for (kind, doc_id), when in found.items() if doc_id in program_of
        }
        for kind in {k for k, _ in found}:
            told = self.told(kind, Document, (d for k, d in found if k == kind))
            found = {
                (k, d): when
                for (k, d), when in found.items()
                if k != kind or (d, occasion(d, when)) not in told
            }
        if not found:
            return
        documents = Document.objects.select_related("organization", "program").in_bulk(
            {d for _, d in found}
        )
        found = {key: when for key, when in found.items() if key[1] in documents}
        school_staff = who.staff_of(d.organization_id for d in documents.values())
        reviewers = who.territory_coordinators(
            {
                (d.organization_id, d.organization.region_id, d.organization.municipality_id)
                for d in documents.values()
            }
        )
        experts = defaultdict(set)
        for doc_id, user_id in Review.objects.filter(document_id__in=documents).values_list(
            "document_id", "reviewer_id"
        ):
            experts[doc_id].add(user_id)
        review_side = who.allowed(
            {
                pk: reviewers.get(d.organization_id, set()) | experts[pk]
                for pk, d in documents.items()
            },
            lambda user: Document.objects.reviewable_by(user).filter(
                pk__in=Document.objects.visible_to(user)
            ),
            self.people,
        )
        school_side = who.allowed(
            {pk: school_staff.get(d.organization_id, set()) for pk, d in documents.items()},
            lambda user: Document.objects.visible_to(user),
            self.people,
        )
        titles = {
            Kind.DOCUMENT_SUBMITTED: "Документ отправлен на проверку",
            Kind.DOCUMENT_WAITING: "Документ ждёт проверки больше 48 часов",
            Kind.DOCUMENT_RETURNED: "Документ возвращён на доработку",
            Kind.DOCUMENT_APPROVED: "Документ одобрен",
        }
        for (kind, doc_id), when in found.items():
            document = documents[doc_id]
            to_reviewers = kind in (Kind.DOCUMENT_SUBMITTED, Kind.DOCUMENT_WAITING)
            users = (review_side if to_reviewers else school_side).get(doc_id, set())
            org = document.organization
            self.add(
                users,
                kind=kind,
                subject=document,
                occasion=occasion(doc_id, when),
                title=f"{titles[kind]}: {document.title}",
                body=f"{org.short_name or org.name}, программа «{document.program}»: "
                f"{titles[kind].lower()} — «{document.title}».",
                url=document.get_absolute_url(),
            )

    # Monitoring points ------------------------------------------------------------------

    # Expertise sheets ----------------------------------------------------------------

    def sheets(self):
        """An undecided expertise sheet due within `SHEET_REMINDER_DAYS` days, and once more
        when its deadline has passed, to its reviewer: once each, by the day of the
        document's program."""
        found, occasion = [], {}
        for today, program_ids in Program.objects.local_dates(self.now).items():
            sheets = Assignment.objects.due_within(today, SHEET_REMINDER_DAYS).filter(
                review__document__program_id__in=program_ids, due_on__gte=today - LOOKBACK_DAYS
            )
            for sheet in sheets.select_related("review__document"):
                found.append(sheet)
                late = sheet.due_on < today
                occasion[sheet.pk] = ("late:" if late else "due:") + sheet.due_on.isoformat()
        told = self.told(Kind.SHEET_DUE, Assignment, occasion.keys())
        sheets = [s for s in found if (s.pk, occasion[s.pk]) not in told]
        allowed = who.allowed(
            {s.pk: {s.review.reviewer_id} for s in sheets},
            lambda user: Assignment.objects.fillable_by(user),
            self.people,
            by_person=True,
        )
        for sheet in sheets:
            document = sheet.review.document
            is_late = occasion[sheet.pk].startswith("late:")
            self.add(
                allowed.get(sheet.pk, set()),
                kind=Kind.SHEET_DUE,
                subject=sheet,
                occasion=occasion[sheet.pk],
                title=f"{'Просрочена экспертиза' if is_late else 'Срок экспертизы'}: {document}",
                body=f"Экспертный лист документа «{document.title}» "
                f"{'нужно было заполнить' if is_late else 'нужно заполнить'} до "
                f"{day_text(sheet.due_on)}.",
                url=reverse("expertise:sheet", args=[sheet.pk]),
            )

    def points(self):
        """A point open for entry, and its deadline within 3 days, to the staff of supported
        schools that have not sent all their values."""
        for _, program_ids in self.zones.by_zone().items():
            today = self.zones.today(program_ids[0])
            points = list(
                MonitoringPoint.objects.open_for_entry(today)
                .filter(program_id__in=program_ids, date__lte=today)
                .select_related("program")
            )
            for point in points:
                self._point(point, today)

    def _point(self, point, today):
        expected = Indicator.objects.filter(program=point.program).entered().of_schools().count()
        if not expected:
            return
        sent = dict(
            Measurement.objects.filter(point=point, status__in=Measurement.SENT)
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values_list("organization", "n")
        )
        # The last day of entry: the point's deadline, or its date plus the program's window.
        closes_on = point.closes_on
        closing = today <= closes_on <= today + timedelta(days=POINT_DEADLINE_DAYS)
        # A school told both that the point opened and (if it is closing) that it closes
        # needs nothing more this round.
        opened = {o for _, o in self.told(Kind.POINT_OPEN, MonitoringPoint, [point.pk])}
        closed = {
            o.split(":")[0]
            for _, o in self.told(Kind.POINT_DEADLINE, MonitoringPoint, [point.pk])
            if closing and o.endswith(closes_on.isoformat())
        }
        schools = [
            s
            for s in point.program.supported_schools().only("pk", "short_name", "name")
            if sent.get(s.pk, 0) < expected
            and (str(s.pk) not in opened or (closing and str(s.pk) not in closed))
        ]
        if not schools:
            return
        staff = who.staff_of(s.pk for s in schools)
        allowed = who.allowed(
            {point.pk: set().union(*staff.values())} if staff else {},
            lambda user: MonitoringPoint.objects.visible_to(user),
            self.people,
        ).get(point.pk, set())
        for school in schools:
            users = staff.get(school.pk, set()) & allowed
            url = reverse("monitoring:entry", args=[point.pk, school.pk])
            until = f" до {day_text(closes_on)}"
            self.add(
                users,
                kind=Kind.POINT_OPEN,
                subject=point,
                occasion=str(school.pk),
                title=f"Открыт приём значений: {point}",
                body=f"Программа «{point.program}»: внесите значения показателей "
                f"{school.short_name or school.name} в точке «{point}»{until}.",
                url=url,
            )
            if closing:
                self.add(
                    users,
                    kind=Kind.POINT_DEADLINE,
                    subject=point,
                    occasion=f"{school.pk}:{closes_on.isoformat()}",
                    title=f"Приём значений закрывается {day_text(closes_on)}: {point}",
                    body=f"Программа «{point.program}»: значения {school.short_name or school.name} "
                    f"в точке «{point}» отправлены не все, а приём закрывается "
                    f"{day_text(closes_on)}.",
                    url=url,
                )

    # Consultation line ------------------------------------------------------------------

    def consultations(self):
        """A new question — to those who may answer it; an answer — to the one who asked."""
        since = self.now - LOOKBACK
        asked = list(
            Consultation.objects.filter(
                asked_at__gte=since, answered_at__isnull=True
            ).select_related("program", "organization")
        )
        told = self.told(Kind.QUESTION_ASKED, Consultation, (q.pk for q in asked))
        asked = [q for q in asked if (q.pk, "") not in told]
        if asked:
            curators = who.curators_of((q.program_id, q.organization_id) for q in asked)
            coordinators = who.program_coordinators(q.program_id for q in asked)
            operators = who.staff_of(q.program.operator_id for q in asked if q.program.operator_id)
            candidates = {
                q.pk: curators.get((q.program_id, q.organization_id), set())
                | coordinators.get(q.program_id, set())
                | operators.get(q.program.operator_id, set())
                for q in asked
            }
            allowed = who.allowed(
                candidates,
                lambda user: Consultation.objects.answerable_by(user),
                self.people,
                by_person=True,
            )
            for q in asked:
                org = q.organization
                self.add(
                    allowed.get(q.pk, set()) - {q.asked_by_id},
                    kind=Kind.QUESTION_ASKED,
                    subject=q,
                    occasion="",
                    title=f"Вопрос: {q.topic}",
                    body=f"{org.short_name or org.name if org else 'Участник'} спрашивает на "
                    f"консультационной линии программы «{q.program}»:\n{q.question}",
                    url=q.get_absolute_url(),
                )
        answered = list(
            Consultation.objects.filter(
                answered_at__gte=since, asked_by__isnull=False
            ).select_related("program")
        )
        told = self.told(Kind.QUESTION_ANSWERED, Consultation, (q.pk for q in answered))
        answered = [q for q in answered if (q.pk, "") not in told]
        allowed = who.allowed(
            {q.pk: {q.asked_by_id} for q in answered},
            lambda user: Consultation.objects.visible_to(user),
            self.people,
            by_person=True,
        )
        for q in answered:
            self.add(
                allowed.get(q.pk, set()),
                kind=Kind.QUESTION_ANSWERED,
                subject=q,
                occasion="",
                title=f"Ответ на вопрос: {q.topic}",
                body=f"На ваш вопрос на консультационной линии программы «{q.program}» "
                f"ответили:\n{q.answer}",
                url=q.get_absolute_url(),
            )

    # Weekly digest ----------------------------------------------------------------------

    def digests(self):
        """Once a week, to each coordinator: what is late, who has not sent values, what waits
        for their verdict — over their territory, through their own access rules."""
        local = timezone.localtime(self.now)
        year, week, _ = local.isocalendar()
        occasion = f"{year}-W{week:02d}"
        coordinators = who.coordinators()
        already = set(
            Notification.objects.filter(
                kind=Kind.DIGEST, occasion=occasion, recipient_id__in=coordinators
            ).values_list("recipient_id", flat=True)
        )
        users = get_user_model().objects.in_bulk(set(coordinators) - already)
        regions = Region.objects.in_bulk(
            {r for places in coordinators.values() for _, r, _ in places}
        )
        municipalities = Municipality.objects.in_bulk(
            {m for places in coordinators.values() for _, _, m in places if m}
        )
        for user in users.values():
            territory = ", ".join(
                sorted(
                    {
                        municipalities[m].name if m else regions[r].name
                        for _, r, m in coordinators[user.pk]
                    }
                )
            )
            lines = digest_lines(user, self.now, local.date())
            # A week with nothing to tell is stored too, read and without a letter, so later
            # rounds of the week do not work the digest out again.
            self.add(
                [user.pk],
                kind=Kind.DIGEST,
                subject=user,
                occasion=occasion,
                title=f"Сводка за неделю {week} — {territory}: "
                + (lines[0] if lines else "всё в срок"),
                body=(
                    f"Что требует внимания ({territory}):\n"
                    + "\n".join(f"— {line}" for line in lines)
                )
                if lines
                else f"{territory}: просроченного и ждущего проверки нет.",
                url=reverse("home"),
                quiet=not lines,
            )


def _due_occasion(item, today):
    """«7:…» until the day before the deadline, «1:…» from then: each told once per date."""
    days = 1 if item.due_on <= today + timedelta(days=1) else 7
    return f"{days}:{item.due_on.isoformat()}"


def digest_lines(user, now, today):
    """The digest of one coordinator at the moment `now` (`today`: its date in their region);
    empty when nothing needs them. Late items are late in each program region's date."""
    late = RoadmapItem.objects.visible_to(user).late(now).count()
    waiting_values = (
        Measurement.objects.approvable_by(user)
        .awaiting_approval()
        .order_by()
        .values("point", "organization")
        .distinct()
        .count()
    )
    waiting_documents = Document.objects.reviewable_by(user).awaiting_review().count()
    missing = 0
    for point in (
        MonitoringPoint.objects.filter(program__in=Program.objects.overseen_by(user))
        .open_for_entry(today)
        .filter(date__lte=today)
        .select_related("program")
    ):
        expected = Indicator.objects.filter(program=point.program).entered().of_schools().count()
        if not expected:
            continue
        schools = point.program.supported_schools().filter(
            pk__in=Organization.objects.visible_to(user)
        )
        complete = (
            Measurement.objects.filter(point=point, status__in=Measurement.SENT)
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .filter(n__gte=expected)
            .values("organization")
        )
        missing += schools.exclude(pk__in=complete).count()
    lines = []
    if late:
        lines.append(f"просроченных мероприятий дорожных карт: {late}")
    if missing:
        lines.append(f"школ, не отправивших значения в открытых точках мониторинга: {missing}")
    if waiting_values:
        lines.append(f"значений школ ждут утверждения: {waiting_values}")
    if waiting_documents:
        lines.append(f"документов ждут проверки: {waiting_documents}")
    return lines


def _user(pk):
    return get_user_model().objects.get(pk=pk)


def store(drafts, now):
    """Save the drafts the database does not already hold; returns how many were new.

    A person without an e-mail address, or who turned the kind off, gets the notice in the
    portal only."""
    if not drafts:
        return 0
    recipients = {d.recipient_id for d in drafts}
    emails = dict(get_user_model().objects.filter(pk__in=recipients).values_list("pk", "email"))
    muted = set(EmailOptOut.objects.filter(user_id__in=recipients).values_list("user_id", "kind"))
    rows = []
    seen = set()
    for draft in drafts:
        if isinstance(draft.subject, tuple):
            content_type, object_id = draft.subject
        else:
            content_type, object_id = content_type_of(type(draft.subject)), draft.subject.pk
        key = (draft.recipient_id, draft.kind, content_type.pk, object_id, draft.occasion)
        if key in seen:
            continue
        seen.add(key)
        mails = emails.get(draft.recipient_id) and (draft.recipient_id, draft.kind) not in muted
        rows.append(
            Notification(
                recipient_id=draft.recipient_id,
                kind=draft.kind,
                content_type=content_type,
                object_id=object_id,
                occasion=draft.occasion,
                title=draft.title[:500],
                body=draft.body,
                url=draft.url,
                state=draft.state,
                happens_at=draft.happens_at,
                created_at=now,
                email_state=Notification.EmailState.PENDING
                if mails and not draft.quiet
                else Notification.EmailState.SKIPPED,
                read_at=now if draft.quiet else None,
            )
        )
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Notification.objects.count() - before
