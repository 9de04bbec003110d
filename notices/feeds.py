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
from expertise.models import Assignment
from monitoring.models import MonitoringPoint
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
    # The state that counts for the feed's owner (`status_seen`): their school's own part.
    entry.add(
        "description",
        f"Программа «{item.roadmap.program}», «{item.roadmap}». "
        f"Состояние: {item.get_status_seen_display()}. {item.schedule_text}".strip(),
    )
    entry.add("url", f"{settings.PORTAL_URL.rstrip('/')}{item.get_absolute_url()}")
    return entry


def _whole_day(uid, day, summary, description, url, stamp):
    """A deadline as a whole day: DTSTART as a date, no time and no zone."""
    entry = CalendarEvent()
    entry.add("uid", uid)
    entry.add("dtstamp", stamp)
    entry.add("summary", summary)
    entry.add("dtstart", day)
    entry.add("dtend", day + timedelta(days=1))
    entry.add("description", description)
    entry.add("url", f"{settings.PORTAL_URL.rstrip('/')}{url}")
    return entry


def _entry_deadline(point, stamp):
    return _whole_day(
        _uid("point", point.pk),
        point.closes_on,
        f"Приём значений до конца дня: {point.title}",
        f"Программа «{point.program}». Последний день, когда школы вносят и отправляют "
        f"значения показателей точки мониторинга «{point.title}».",
        point.get_absolute_url(),
        stamp,
    )


def _expertise_deadline(sheet, stamp):
    document = sheet.review.document
    return _whole_day(
        _uid("sheet", sheet.pk),
        sheet.due_on,
        f"Срок экспертизы: {document.title}",
        f"Программа «{document.program}», «{sheet.round}». Экспертный лист документа "
        f"«{document.title}» ({document.organization}) ждёт вашего заключения.",
        sheet.get_absolute_url(),
        stamp,
    )


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
    up), the deadlines of open items they answer for, the entry deadlines of the points open
    for their values and the deadlines of the expertise sheets waiting for their verdict."""
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
    items = RoadmapItem.objects.visible_to(user)
    if not r.is_territorial:
        # A school's and a curator's deadlines are those of their schools' own part of a shared
        # item, as on their home: a part done leaves the feed, though the item is still open.
        items = items.as_seen_by(r.schools | r.curated_schools)
    items = list(
        items.open()
        .filter(answerable, due_on__gte=today - timedelta(days=PAST_DAYS))
        .select_related("roadmap__program")
        .distinct()
    )
    # The points the person enters values at, while they are open; the sheets they score.
    points = list(
        MonitoringPoint.objects.enterable_by(user).select_related(
            "program__region", "program__municipality__region"
        )
    )
    sheets = list(
        Assignment.objects.fillable_by(user)
        .pending()
        .filter(due_on__isnull=False, due_on__gte=today - timedelta(days=PAST_DAYS))
        .select_related("round", "review__document__program", "review__document__organization")
    )
    zones = {e.program.timezone_name for e in events}
    calendar = _calendar("Мои события и сроки", zones)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_event(event, stamp))
    for item in items:
        calendar.add_component(_deadline(item, stamp))
    for point in points:
        calendar.add_component(_entry_deadline(point, stamp))
    for sheet in sheets:
        calendar.add_component(_expertise_deadline(sheet, stamp))
    return calendar.to_ical()
