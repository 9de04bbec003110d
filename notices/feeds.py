"""Calendar feeds (iCalendar, RFC 5545) behind a person's private token: a program's events,
and the person's own events and deadlines.

The address carries the token because calendar clients cannot sign in; whoever has it reads
what its owner may see, through the owner's access rules, so renewing the token closes the old
address. Times are written with their region's zone (TZID), and each event keeps its UID, so a
client that refreshes the feed moves an event that moved.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from core import timezones
from core.access import reach
from programs.models import Program
from roadmaps.models import Event, RoadmapItem

PAST_DAYS = 60


def _calendar(name, zones):
    calendar = Calendar()
    calendar.add("prodid", "-//Портал адресной поддержки школ//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for zone in sorted(zones):
        calendar.add_component(Timezone.from_tzid(zone))
    return calendar


def _uid(kind, pk):
    host = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0] or "portal"
    return f"{kind}-{pk}@{host}"


def _event(event, stamp):
    zone = timezones.tzinfo(event.program.timezone_name)
    entry = CalendarEvent()
    entry.add("uid", _uid("event", event.pk))
    entry.add("dtstamp", stamp)
    entry.add("summary", event.title)
    entry.add("dtstart", timezone.localtime(event.starts_at, zone))
    ends = event.ends_at or event.starts_at + timedelta(hours=1)
    entry.add("dtend", timezone.localtime(ends, zone))
    where = event.place or event.link
    if where:
        entry.add("location", where)
    text = [f"{event.get_kind_display()}, программа «{event.program}»."]
    if event.description:
        text.append(event.description)
    if event.link:
        text.append(event.link)
    entry.add("description", "\n".join(text))
    entry.add("url", f"{settings.PORTAL_URL.rstrip('/')}{event.get_absolute_url()}")
    return entry


def _deadline(item, stamp):
    entry = CalendarEvent()
    entry.add("uid", _uid("item", item.pk))
    entry.add("dtstamp", stamp)
    entry.add("summary", f"Срок: {item}")
    # A deadline is a whole day: DTSTART as a date, no time and no zone.
    entry.add("dtstart", item.due_on)
    entry.add("dtend", item.due_on + timedelta(days=1))
    entry.add(
        "description",
        f"Программа «{item.roadmap.program}», «{item.roadmap}». {item.schedule_text}".strip(),
    )
    entry.add("url", f"{settings.PORTAL_URL.rstrip('/')}{item.get_absolute_url()}")
    return entry


def _events(queryset):
    since = timezone.now() - timedelta(days=PAST_DAYS)
    return queryset.filter(starts_at__gte=since).select_related(
        "program__region", "program__municipality__region"
    )


def program_feed(program, user):
    """The program's events the user sees."""
    events = list(_events(Event.objects.visible_to(user).filter(program=program)))
    calendar = _calendar(f"События: {program.short_title}", {program.timezone_name})
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_event(event, stamp))
    return calendar.to_ical()


def personal_feed(user):
    """The person's events (their organizations invited or organizing, or programs they set
    up) and the deadlines of open items they answer for."""
    r = reach(user)
    own = r.organizations | r.schools
    events = list(
        _events(
            Event.objects.visible_to(user).filter(
                Q(invited__in=own)
                | Q(organizer__in=own)
                | Q(program__in=Program.objects.editable_by(user))
            )
        ).distinct()
    )
    today = timezone.localdate()
    answerable = Q(responsible__in=own | r.curated_schools) | Q(roadmap__pair__in=r.pairs)
    items = list(
        RoadmapItem.objects.visible_to(user)
        .open()
        .filter(answerable, due_on__gte=today - timedelta(days=PAST_DAYS))
        .select_related("roadmap__program")
        .distinct()
    )
    zones = {e.program.timezone_name for e in events}
    calendar = _calendar("Мои события и сроки", zones)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_event(event, stamp))
    for item in items:
        calendar.add_component(_deadline(item, stamp))
    return calendar.to_ical()
