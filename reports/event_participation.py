"""Участие в событиях: each event of a program, who was invited, who came, and the share
of the supported schools that took part; then each supported school's participation."""

from zoneinfo import ZoneInfo

from django.db.models import Prefetch

from programs.models import Program
from roadmaps.models import Attendance, Event
from schools.models import Organization

from .common import ReportKind, made_at, program_subjects, share, supported_schools
from .document import Cell, Column, Facts, Row, Section, Table
from .formatting import percent_text

TITLE = "Участие в событиях"


def events_queryset(user):
    names = Organization.objects.only("id", "short_name")
    return (
        Event.objects.visible_to(user)
        .select_related("organizer")
        .prefetch_related(
            Prefetch("invited", queryset=names.order_by("short_name")),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("organization").order_by(
                    "organization__short_name"
                ),
            ),
        )
        .order_by("starts_at", "pk")
    )


def build(program, user):
    now = made_at(program)
    zone = ZoneInfo(program.timezone_name)
    events = list(events_queryset(user).filter(program=program))
    supported = supported_schools(program, user)
    report = KIND.start(program, subtitle=program.title, name=program.short_title, now=now)

    summary_rows, who_rows = [], []
    invited_count = dict.fromkeys(supported, 0)
    came_count = dict.fromkeys(supported, 0)
    people = dict.fromkeys(supported, 0)
    for event in events:
        day = event.starts_at.astimezone(zone).date()
        invited = list(event.invited.all())
        attendances = list(event.attendances.all())
        came = {a.organization_id for a in attendances}
        invited_ids = {o.pk for o in invited}
        for org_id in invited_ids & supported.keys():
            invited_count[org_id] += 1
        for a in attendances:
            if a.organization_id in supported:
                came_count[a.organization_id] += 1
                people[a.organization_id] += a.people_count
        summary_rows.append(
            Row(
                [
                    day,
                    event.title,
                    event.get_kind_display(),
                    len(invited),
                    len(came),
                    sum(a.people_count for a in attendances),
                    share(len(came & supported.keys()), len(supported)),
                ]
            )
        )
        absent = [o.short_name for o in invited if o.pk not in came]
        who_rows.append(
            Row(
                [
                    day,
                    event.title,
                    "; ".join(f"{a.organization.short_name} ({a.people_count} чел.)"
                              for a in attendances),
                    Cell("; ".join(absent), "bad" if absent else None),
                ]
            )
        )  # fmt: skip

    took_part = [org_id for org_id in supported if came_count[org_id]]
    held = sum(1 for e in events if e.starts_at <= now)
    report.add(
        Section("Итоги").add(
            Facts(
                [
                    ("Событий всего", len(events)),
                    ("из них уже прошло", held),
                    ("Школ адресной поддержки", len(supported)),
                    (
                        "Участвовали хотя бы в одном событии",
                        f"{len(took_part)} из {len(supported)} "
                        f"({percent_text(share(len(took_part), len(supported)))})",
                    ),
                ]
            )
        )
    )
    report.add(
        Section("События").add(
            Table(
                "События",
                [
                    Column("Дата", "date", width="9%"),
                    Column("Событие", width="37%"),
                    Column("Форма", width="14%"),
                    Column("Приглашено организаций", "number", width="10%"),
                    Column("Пришло организаций", "number", width="10%"),
                    Column("Участников, чел.", "number", width="9%"),
                    Column("Школ адресной поддержки, %", "number", width="11%"),
                ],
                summary_rows,
                empty_text="Событий нет.",
                note="Доля — от числа школ адресной поддержки программы.",
            )
        )
    )
    report.add(
        Section("Кто был приглашён и кто пришёл").add(
            Table(
                "Приглашённые и пришедшие",
                [
                    Column("Дата", "date", width="9%"),
                    Column("Событие", width="27%"),
                    Column("Пришли", width="37%"),
                    Column("Приглашены, но не пришли", width="27%"),
                ],
                who_rows,
                empty_text="Событий нет.",
            )
        )
    )
    report.add(
        Section("Участие школ адресной поддержки").add(
            Table(
                "Участие школ",
                [
                    Column("Школа", width="52%"),
                    Column("Приглашена, раз", "number", width="16%"),
                    Column("Участвовала, раз", "number", width="16%"),
                    Column("Участников, чел.", "number", width="16%"),
                ],
                [
                    Row(
                        [name, invited_count[org_id], came_count[org_id], people[org_id]],
                        tone=None if came_count[org_id] else "bad",
                    )
                    for org_id, name in supported.items()
                ],
                empty_text="В программе нет школ адресной поддержки.",
            )
        )
    )
    return report


KIND = ReportKind(
    slug="events",
    title=TITLE,
    subject_label="программа",
    subject_model=Program,
    queryset=program_subjects,
    build=build,
)
