"""What every kind of notice shares: the round's clock and zones, drafts, and storing them."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import timezones
from core.bulk import insert_rows
from programs.models import Program

from .. import recipients as who
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
    zone_of: dict = field(default_factory=dict)

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

    def day(self, value, program_id):
        # Asked for every school's values of a round: each program's zone looked up once.
        if program_id not in self.zone_of:
            self.zone_of[program_id] = self.zone(program_id)
        return timezone.localtime(value, self.zone_of[program_id]).date()

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


def day_text(day):
    return _day_text(day, translation.get_language())


@lru_cache(maxsize=1024)
def _day_text(day, language):
    # Thousands of deadlines of a round share a few dates; formatting one is slow.
    with translation.override(language):
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
        # Users met in this round, each with their `Reach` and places read once.
        self.people = who.People()

    def told(self, kind, model, object_ids):
        """(object id, occasion) pairs of `kind` already stored for anyone: an occasion is
        told once, to those who may know of it then, so later rounds skip it before asking
        anyone's access rules — a steady round costs a query per kind, not per person."""
        return set(
            Notification.objects.filter(
                kind=kind,
                content_type=content_type_of(model),
                object_id__among=set(object_ids),
            )
            .order_by()
            .values_list("object_id", "occasion")
            # Once per occasion, not once per person told: a round of thousands of schools
            # otherwise reads every notice of the kind again.
            .distinct()
        )

    def add(self, user_ids, **fields):
        for user_id in user_ids:
            self.drafts.append(Draft(recipient_id=user_id, **fields))


# Notices written by one statement: a first round of 9,000 schools makes 90,000, and one
# statement of them all took the server longer than ten of a tenth each.
STORE_BATCH = 10_000
# What each notice of a round brings; the other fields take their defaults.
STORED = (
    "recipient",
    "kind",
    "content_type",
    "object_id",
    "occasion",
    "title",
    "body",
    "url",
    "state",
    "happens_at",
    "email_state",
    "read_at",
)


def store(drafts, now):
    """Save the drafts the database does not already hold; returns how many were new.

    A person without an e-mail address, or who turned the kind off, gets the notice in the
    portal only. The notices go as one set (`core.bulk.insert_rows`), the unique constraint
    leaving out those already stored — by an earlier round or by one running beside: a first
    round of thousands of schools writes tens of thousands of rows, and a model instance per
    row, prepared field by field, cost more than finding them."""
    if not drafts:
        return 0
    recipients = {d.recipient_id for d in drafts}
    emails = dict(get_user_model().objects.filter(pk__among=recipients).values_list("pk", "email"))
    muted = set(
        EmailOptOut.objects.filter(user_id__among=recipients).values_list("user_id", "kind")
    )
    happens_at = Notification._meta.get_field("happens_at")
    moments = {None: None}

    def moment(value):
        # As the database takes a time (text on SQLite); a round has few distinct ones.
        if value not in moments:
            moments[value] = happens_at.get_db_prep_save(value, connection)
        return moments[value]

    pending, skipped = Notification.EmailState.PENDING, Notification.EmailState.SKIPPED
    types = {}
    rows = []
    seen = set()
    for draft in drafts:
        if isinstance(draft.subject, tuple):
            content_type, object_id = draft.subject
        else:
            model = type(draft.subject)
            if model not in types:
                types[model] = content_type_of(model)
            content_type, object_id = types[model], draft.subject.pk
        key = (draft.recipient_id, draft.kind, content_type.pk, object_id, draft.occasion)
        if key in seen:
            continue
        seen.add(key)
        mails = emails.get(draft.recipient_id) and (draft.recipient_id, draft.kind) not in muted
        rows.append(
            (
                draft.recipient_id,
                str(draft.kind),
                content_type.pk,
                object_id,
                draft.occasion,
                draft.title[:500],
                draft.body,
                draft.url,
                draft.state,
                moment(draft.happens_at),
                str(pending if mails and not draft.quiet else skipped),
                moment(now) if draft.quiet else None,
            )
        )
    created = 0
    for start in range(0, len(rows), STORE_BATCH):
        created += len(
            insert_rows(
                Notification,
                STORED,
                rows[start : start + STORE_BATCH],
                {"created_at": now},
                skip_conflicts=True,
            )
        )
    return created
