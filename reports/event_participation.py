"""Участие в событиях: each event of a program, who was invited, who came, and the share
of the supported schools that took part; then each supported school's participation."""

from collections import defaultdict

from django.db.models import Count, F, Prefetch, Sum

from core import timezones
from dashboards.scope import WHOLE
from programs.models import Program
from roadmaps.models import Attendance, Event
from schools.models import Organization

from .common import (
    ReportKind,
    coverage,
    made_at,
    program_subjects,
    share,
    supported_schools,
)
from .document import Cell, Column, Facts, Row, Section, Table
from .formatting import percent_text
from .territory import breakdown, subtitle_with

TITLE = "Участие в событиях"


def events_queryset(covered):
    """The program's events, with their participation in the scope counted
    (`EventQuerySet.with_participation`) and the organizations invited and attending."""
    scope = covered.scope
    names = Organization.objects.only("id", "short_name").filter(scope.organizations())
    return (
        covered.visible(Event.objects.filter(program=covered.program))
        .with_participation(covered.schools(), scope.organizations("organization"))
        .select_related("organizer")
        .prefetch_related(
            Prefetch("invited", queryset=names.order_by("short_name")),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(scope.organizations("organization"))
                .select_related("organization")
                .order_by("organization__short_name"),
            ),
        )
        .order_by("starts_at", "pk")
    )


def build(program, user, scope=WHOLE):
    covered = coverage(program, user, scope)
    scope = covered.scope
    shown = breakdown(covered.schools(), scope)
    now = made_at(program)
    name = program.short_title + (f", {scope.territory}" if scope.territory else "")
    report = KIND.start(program, subtitle=subtitle_with(scope, program.title), name=name, now=now)
    if shown.is_summary:
        report.add(shown.notice())
        return summary(report, program, covered, shown, now)
    zone = timezones.tzinfo(program.timezone_name)
    events = list(events_queryset(covered))
    supported = supported_schools(covered)

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
        summary_rows.append(event_row(event, zone, len(supported)))
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
    report.add(totals_section(events, now, len(supported), len(took_part)))
    report.add(events_section(summary_rows, scope))
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


# The columns of `event_row`.
EVENT_COLUMNS = [
    Column("Дата", "date", width="9%"),
    Column("Событие", width="37%"),
    Column("Форма", width="14%"),
    Column("Приглашено организаций", "number", width="10%"),
    Column("Пришло организаций", "number", width="10%"),
    Column("Участников, чел.", "number", width="9%"),
    Column("Школ адресной поддержки, %", "number", width="11%"),
]


def event_row(event, zone, schools):
    """An event's line: its day, title and form, and its participation
    (`EventQuerySet.with_participation`); the share is of the `schools` supported schools."""
    return Row(
        [
            event.starts_at.astimezone(zone).date(),
            event.title,
            event.get_kind_display(),
            event.invited_count,
            event.came_count,
            event.people,
            share(event.supported_came, schools),
        ]
    )


def totals_section(events, now, schools, took_part):
    held = sum(1 for e in events if e.starts_at <= now)
    return Section("Итоги").add(
        Facts(
            [
                ("Событий всего", len(events)),
                ("из них уже прошло", held),
                ("Школ адресной поддержки", schools),
                (
                    "Участвовали хотя бы в одном событии",
                    f"{took_part} из {schools} ({percent_text(share(took_part, schools))})",
                ),
            ]
        )
    )


def events_section(rows, scope=WHOLE):
    note = "Доля — от числа школ адресной поддержки программы."
    if scope.territory is not None:
        note = (
            f"Организации и участники — территории «{scope.territory}»; доля — от числа её "
            "школ адресной поддержки."
        )
    return Section("События").add(
        Table(
            "События",
            EVENT_COLUMNS,
            rows,
            empty_text="Событий нет.",
            note=note,
        )
    )


def summary(report, program, covered, shown, now):
    """The report when it summarises the schools by territory: each event with its counts, and
    each territory's supported schools — invited, taking part, people — counted in the database
    (grouped queries, as many for 3,000 schools as for 30), each row linked to the report of
    that territory, which names the schools and who came to each event."""
    zone = timezones.tzinfo(program.timezone_name)
    scope, key = shown.scope, shown.key
    schools = covered.schools()
    events = list(
        covered.visible(Event.objects.filter(program=program))
        .with_participation(schools, scope.organizations("organization"))
        .order_by("starts_at", "pk")
    )
    ids = [event.pk for event in events]
    invitations = Event.invited.through.objects.filter(event__in=ids)
    attendances = Attendance.objects.filter(event__in=ids)
    school_count = schools.count()
    rows = [event_row(event, zone, school_count) for event in events]
    per_territory = defaultdict(lambda: dict.fromkeys(("schools", "invited", "took", "times",
                                                       "people"), 0))  # fmt: skip
    for tid, n in (
        schools.order_by()
        .values(territory=F(key))
        .annotate(n=Count("pk"))
        .values_list("territory", "n")
    ):
        per_territory[tid]["schools"] = n
    territory = F(f"organization__{key}")
    for tid, n in (
        invitations.filter(organization__in=schools)
        .values(territory=territory)
        .annotate(n=Count("pk"))
        .values_list("territory", "n")
        .order_by()
    ):
        per_territory[tid]["invited"] = n
    for row in (
        attendances.filter(organization__in=schools)
        .values(territory=territory)
        .annotate(
            took=Count("organization", distinct=True),
            times=Count("pk"),
            people=Sum("people_count"),
        )
        .order_by()
    ):
        per_territory[row["territory"]].update(
            took=row["took"], times=row["times"], people=row["people"] or 0
        )
    names = dict(shown.territories)
    if None in per_territory:
        names[None] = "без муниципалитета"
    territory_rows, totals = [], dict.fromkeys(("schools", "invited", "took", "times", "people"), 0)
    for tid, name in names.items():
        figures = per_territory[tid]
        for field in totals:
            totals[field] += figures[field]
        territory_rows.append(
            Row(
                [
                    name,
                    figures["schools"],
                    figures["took"],
                    share(figures["took"], figures["schools"]),
                    figures["invited"],
                    figures["times"],
                    figures["people"],
                    shown.link(KIND, program, tid) if tid is not None else None,
                ],
                tone="bad" if figures["schools"] and not figures["took"] else None,
            )
        )
    territory_rows.append(
        Row(
            [
                "Всего",
                totals["schools"],
                totals["took"],
                share(totals["took"], totals["schools"]),
                totals["invited"],
                totals["times"],
                totals["people"],
                None,
            ]
        )
    )
    report.add(totals_section(events, now, school_count, totals["took"]))
    report.add(events_section(rows, scope))
    report.add(
        Section("Участие школ адресной поддержки по территориям").add(
            Table(
                f"Участие школ по территориям ({shown.column_title.lower()})",
                [
                    Column(shown.column_title, width="26%"),
                    Column("Школ", "number", width="8%"),
                    Column("Участвовали, школ", "number", width="10%"),
                    Column("Участвовали, %", "number", width="10%"),
                    Column("Приглашений", "number", width="10%"),
                    Column("Участий", "number", width="10%"),
                    Column("Участников, чел.", "number", width="12%"),
                    Column("Подробно", width="14%"),
                ],
                territory_rows,
                note="Участвовали — школы, побывавшие хотя бы на одном событии; участий — "
                "сколько раз школы территории приходили на события. Красным отмечены "
                "территории, где ни одна школа не участвовала. «По школам» — отчёт по одной "
                "территории: кто из школ был приглашён и кто пришёл на каждое событие.",
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
    takes_territory=True,
)
