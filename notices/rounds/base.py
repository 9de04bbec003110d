"""What every kind of notice shares: the round's clock and zones, drafts, and storing them."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format

from core import timezones
from programs.models import Program

from ..models import EmailOptOut, Notification, content_type_of

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
        return timezones.tzinfo(self.names.get(program_id, settings.TIME_ZONE))

    def today(self, program_id):
        return timezone.localtime(self.now, self.zone(program_id)).date()

    def by_zone(self):
        """{zone name: [program ids]}."""
        grouped = defaultdict(list)
        for pk, name in self.names.items():
            grouped[name].append(pk)
        return grouped

    def moment(self, value, program_id):
        """A time as people of the program's region read it, its clock named:
        «05.12.2026 10:00 (время екатеринбургское, UTC+5)»."""
        return timezones.moment_with_clock(value, self.names.get(program_id, settings.TIME_ZONE))

    def day(self, value, program_id):
        return timezone.localtime(value, self.zone(program_id)).date()


def day_text(day):
    return date_format(day, "j E Y")


def event_state(event):
    """What an event notice promised: a change of any of these is told again."""
    raw = f"{event.starts_at.isoformat()}|{event.ends_at and event.ends_at.isoformat()}|{event.place}|{event.link}"
    return hashlib.sha1(raw.encode()).hexdigest()


class RoundBase:
    """One pass over the data; each kind of notice adds its drafts (see the package)."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.zones = Zones.load(self.now)
        # Values and documents are looked at this far back, so a round that did not run for a
        # while (a stopped timer, a failed deploy) still tells what happened meanwhile. Read
        # when the round starts, so that a changed setting takes effect.
        self.lookback = timedelta(hours=settings.NOTICES_LOOKBACK_HOURS)
        self.lookback_days = timedelta(days=max(self.lookback.days, 1))
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
