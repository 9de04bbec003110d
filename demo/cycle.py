"""The demo in motion: each program in the middle of its current cycle, dated from the day the
demo is first loaded.

The five documents end between 2023 and 2024, so loaded as they are the programs would be a
museum: every point closed, every item late, no event ahead. The current cycle adds what a
program under way has — never a school, a pair, an item of a document or an indicator:
- two monitoring points of its own: one closed twelve weeks ago with every value approved, one
  open for entry now with some values sent, some approved and some returned; «Вектор на
  развитие» also has an entry point half a year back with every value approved and its targets
  at the open point, so that its schools' forecasts show (two are at risk: one falling, one
  rising too slowly);
- an event in the coming days with the program's participants invited;
- the pairs' and the schools' own roadmaps with items due this week and next, some done, a few
  late;
- the documents' items done on their deadlines, as the programs ran, except one shared item
  where one school has still not done its part;
- risk profiles of the schools, so the pairing assistant's ranking means something;
- adopters of the bank's practice between the two points, so the bank shows a measured change.

Everything is dated from one day, the cycle's anchor: the day of the first load, found again on
every later load from the open point (its date is the anchor plus `POINT_AHEAD`). So a second
load, on the same day or a year later, finds the same anchor, computes the same rows and
changes nothing.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core import timezones
from expertise.models import Adoption, Practice
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import Participant
from roadmaps.models import Event, ItemExecution, ItemStatus, Roadmap, RoadmapItem
from schools.models import Membership, RiskFactor, RiskLevel, RiskProfile

from . import megion, surgut

# The two points of the cycle, keyed by their titles (a title never changes, dates follow the
# anchor): (title, days from the anchor to the point's date, to its entry deadline, locked).
ENTRY_POINT = ("Текущий цикл: входной срок мониторинга", -182, -168, True)
PREVIOUS_POINT = ("Текущий цикл: первый срок мониторинга", -84, -70, True)
OPEN_POINT = ("Текущий цикл: второй срок мониторинга", 7, 14, False)
POINT_AHEAD = OPEN_POINT[1]
POINT_TITLES = (ENTRY_POINT[0], PREVIOUS_POINT[0], OPEN_POINT[0])
# The documents' own roadmaps; the cycle adds those of the pairs and the schools.
DOCUMENT_LEVELS = (Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL)

EVENT = (
    "Семинар «Итоги первого срока мониторинга: что изменилось в школах»",
    "Разбор значений показателей первого срока и планы ко второму; выступают кураторы пар.",
)
EVENT_DAYS_AHEAD = 5

# A pair's own roadmap: (title, days from the anchor to the deadline, state). The second item
# is late in the pairs listed in `LATE_PAIRS` and done in the others.
PAIR_ITEMS = [
    ("Взаимопосещение уроков математики учителями пары", -10, ItemStatus.DONE),
    ("Совместный методический день по подготовке к ВПР", -3, ItemStatus.DONE),
    ("Открытый урок учителя школы-куратора и его разбор", 2, ItemStatus.IN_PROGRESS),
    ("Разбор значений второго срока мониторинга с педагогами", 9, ItemStatus.PLANNED),
]
LATE_PAIRS = {"2.1", "2.3"}
SCHOOL_ITEMS = [
    ("Педагогический совет по итогам первого срока мониторинга", -20, ItemStatus.DONE),
    ("Индивидуальные планы профессионального развития учителей", -2, ItemStatus.IN_PROGRESS),
    ("Методическая неделя: формирующее оценивание", 4, ItemStatus.IN_PROGRESS),
    ("Отчёт о реализации антирисковой программы за полугодие", 12, ItemStatus.PLANNED),
]

# The shared item of «Вектор на развитие» whose executions differ: every supported school has
# verified its risk factors but the last, so the item is late overall while each other school's
# own part is done.
SHARED_ITEM = "Верификация факторов риска"
UNFINISHED_SCHOOL = "филиал «Каюковская НШ»"

# Risk profiles assessed in the cycle (by the catalogue's codes), for the schools that had none.
L = RiskLevel.Level
PROFILES = {
    "МБОУ «Лянторская СОШ № 5»": {"1.3": L.LOW, "2.3": L.MEDIUM, "2.8": L.LOW, "3.2": L.LOW},
    "МБОУ «Лянторская СОШ № 4»": {"1.3": L.HIGH, "2.3": L.LOW, "2.8": L.MEDIUM, "3.2": L.NONE},
    "МБОУ «Солнечная СОШ №1»": {"1.3": L.MEDIUM, "2.3": L.HIGH, "2.8": L.HIGH, "3.2": L.MEDIUM},
    "МБОУ «Угутская СОШ»": {"1.3": L.LOW, "2.3": L.MEDIUM, "2.8": L.MEDIUM, "3.2": L.HIGH},
    "МБОУ «Ляминская СОШ»": {"1.3": L.HIGH, "2.3": L.MEDIUM, "2.8": L.HIGH, "3.2": L.LOW},
    "МБОУ «Высокомысовская СОШ»": {"1.1": L.HIGH, "2.3": L.HIGH, "2.8": L.MEDIUM, "3.3": L.LOW},
    "филиал «Сытоминская СШ»": {"1.2": L.HIGH, "1.3": L.MEDIUM, "3.2": L.HIGH, "3.3": L.MEDIUM},
    "филиал «Каюковская НШ»": {"1.1": L.HIGH, "1.2": L.HIGH, "2.8": L.MEDIUM, "3.3": L.HIGH},
}
PROFILE_DAYS_AGO = 60
PROFILE_SOURCE = "самообследование по каталогу факторов риска, текущий цикл"

# How far each supported school's sheet at the open point has come, per indicator position:
# A approved, S sent, R returned, D draft, "-" nothing yet.
SHEETS = {
    "МБОУ «Русскинская СОШ»": "AAARS",
    "МБОУ «Ляминская СОШ»": "SSSSS",
    "МБОУ «Высокомысовская СОШ»": "SSSSS",
    "филиал «Сытоминская СШ»": "DD---",
    "филиал «Каюковская НШ»": "-----",
}
RETURN_REMARK = (
    "Значение ниже, чем в первом сроке, на 12 пунктов: проверьте выгрузку с платформы «РЭШ» "
    "и приложите её."
)
# The bank's practice adopted between the two points: (school, days from the anchor).
ADOPTERS = [("МБОУ «Ляминская СОШ»", -45), ("МБОУ «Высокомысовская СОШ»", -40)]
ADOPTED_GAIN = 6  # what the adopters gained over the others between the two points

# «Вектор на развитие» at its entry point: how much higher each supported school's values were
# than at the previous point. Ляминская has fallen since and misses its target at the open point
# by the forecast («снижение по двум точкам»); Русскинская rises, but too slowly to reach it.
ENTRY_LEAD = {
    "МБОУ «Русскинская СОШ»": -3,
    "МБОУ «Ляминская СОШ»": 5,
    "МБОУ «Высокомысовская СОШ»": -4,
    "филиал «Сытоминская СШ»": -2,
    "филиал «Каюковская НШ»": 3,
}
# The program's target at the open point for its indicator at position i: «не менее» this + 4 i.
OPEN_TARGET = 45


def anchor(program, today=None):
    """The cycle's day: found from the open point of `program` when the demo was loaded
    before, else `today` (the day of this load)."""
    point = MonitoringPoint.objects.filter(program=program, title=OPEN_POINT[0]).first()
    if point is not None:
        return point.date - timedelta(days=POINT_AHEAD)
    return today or timezone.localdate()


def load(loader, loaded, day):
    """The current cycle of every loaded program, dated from `day` (see `anchor`)."""
    coordinator = Membership.objects.get(user__username="coordinator").user
    school_user = Membership.objects.get(user__username="school").user
    for name, part in loaded.items():
        program = part["program"]
        points = _points(loader, program, day, entry=name == "surgut")
        _event(loader, program, day)
        _close_document_items(loader, program, day)
        part["cycle_points"] = points

    vector = loaded["surgut"]
    schools = vector["schools"]
    _surgut_values(loader, vector, day, coordinator, school_user)
    for pair in vector["pairs"].values():
        _pair_roadmap(loader, pair, day)
    _school_roadmap(loader, vector["program"], schools[surgut.SUPPORTED_SCHOOLS[0]], day)
    _school_roadmap(loader, loaded["megion"]["program"], loaded["megion"]["school"], day)
    _megion_values(loader, loaded["megion"], day)
    factors = {f.code: f for f in RiskFactor.objects.all()}
    for short_name, levels in PROFILES.items():
        profile = loader.upsert(
            RiskProfile,
            {"school": schools[short_name], "assessed_on": day - timedelta(PROFILE_DAYS_AGO)},
            {"source": PROFILE_SOURCE},
        )
        for code, level in levels.items():
            loader.upsert(
                RiskLevel, {"profile": profile, "factor": factors[code]}, {"level": level}
            )
    practice = Practice.objects.filter(program=vector["program"], in_bank=True).first()
    if practice is not None:
        for short_name, days in ADOPTERS:
            loader.upsert(
                Adoption,
                {"practice": practice, "school": schools[short_name]},
                {"adopted_on": day + timedelta(days), "note": "По итогам семинара пар"},
            )


def _zone(program):
    return timezones.tzinfo(program.timezone_name)


def _at(program, day, hour):
    """`hour` o'clock of `day` in the program region's time."""
    return datetime.combine(day, time(hour), _zone(program))


def _points(loader, program, day, entry=False):
    """The cycle's points: [previous, open], with the entry point first when `entry`."""
    points = []
    for title, days, deadline, locked in ((ENTRY_POINT,) if entry else ()) + (
        PREVIOUS_POINT,
        OPEN_POINT,
    ):
        points.append(
            loader.upsert(
                MonitoringPoint,
                {"program": program, "title": title},
                {
                    "date": day + timedelta(days),
                    "kind": MonitoringPoint.Kind.INTERMEDIATE,
                    "entry_deadline": day + timedelta(deadline),
                    "locked": locked,
                },
            )
        )
    return points


def _event(loader, program, day):
    title, description = EVENT
    starts = day + timedelta(EVENT_DAYS_AHEAD)
    event = loader.upsert(
        Event,
        {"program": program, "title": title},
        {
            "kind": Event.Kind.SEMINAR,
            "level": Event.Level.REGIONAL
            if program.municipality_id is None
            else Event.Level.MUNICIPAL,
            "starts_at": _at(program, starts, 10),
            "ends_at": _at(program, starts, 12),
            "place": "ВКС, ссылка придёт в приглашении",
            "organizer": program.operator or program.owner,
            "description": description,
        },
    )
    # The program's participants; a program that names none invites its owner and operator.
    invited = [p.organization for p in Participant.objects.filter(program=program)] or [
        org for org in (program.owner, program.operator) if org is not None
    ]
    loader.set_related(event, "invited", invited)
    return event


def _close_document_items(loader, program, day):
    """The documents' items whose deadline has passed were done on their deadline, each
    responsible organization's part as well; the shared item of «Вектор на развитие» waits for
    one school."""
    items = RoadmapItem.objects.filter(
        roadmap__program=program,
        roadmap__level__in=DOCUMENT_LEVELS,
        due_on__lt=day,
    ).prefetch_related("executions__organization")
    for item in items:
        executions = []
        for execution in item.executions.all():
            unfinished = (
                item.title.startswith(SHARED_ITEM)
                and execution.organization.short_name == UNFINISHED_SCHOOL
            )
            status = ItemStatus.IN_PROGRESS if unfinished else ItemStatus.DONE
            executions.append(
                loader.upsert(
                    ItemExecution,
                    {"item": item, "organization": execution.organization},
                    {
                        "status": status,
                        "completed_on": item.due_on if status == ItemStatus.DONE else None,
                    },
                )
            )
        state = RoadmapItem(status=ItemStatus.DONE, completed_on=item.due_on, roadmap=item.roadmap)
        state.derive_status(executions)
        loader.upsert(
            RoadmapItem,
            {"pk": item.pk},
            {"status": state.status, "completed_on": state.completed_on},
        )


def _items(loader, roadmap, rows, day, late=False):
    """The items of a pair's or a school's roadmap; with `late`, the one due in the past week
    is not done yet."""
    for order, (title, days, status) in enumerate(rows, start=1):
        due = day + timedelta(days)
        if late and status == ItemStatus.DONE and 0 > days > -7:
            status = ItemStatus.PLANNED
        loader.upsert(
            RoadmapItem,
            {"roadmap": roadmap, "order": order},
            {
                "number": str(order),
                "title": title,
                "starts_on": due - timedelta(14),
                "due_on": due,
                "status": status,
                "completed_on": due - timedelta(1) if status == ItemStatus.DONE else None,
            },
        )


def _pair_roadmap(loader, pair, day):
    roadmap = loader.upsert(
        Roadmap,
        {"program": pair.program, "pair": pair, "level": Roadmap.Level.PAIR},
        {
            "title": f"Дорожная карта пары {pair.number}: {pair.curator_school.short_name} — "
            f"{pair.supported_school.short_name}"
        },
    )
    _items(loader, roadmap, PAIR_ITEMS, day, late=pair.number in LATE_PAIRS)


def _school_roadmap(loader, program, school, day):
    roadmap = loader.upsert(
        Roadmap,
        {"program": program, "organization": school, "level": Roadmap.Level.SCHOOL},
        {"title": f"Дорожная карта {school.short_name}: меры против факторов риска"},
    )
    _items(loader, roadmap, SCHOOL_ITEMS, day)


def _value(school_index, indicator_index, previous=False, gain=0):
    """A plausible percent: each school and indicator its own level, a few points up since the
    previous point (more for the practice's adopters)."""
    base = Decimal(38 + 6 * school_index + 4 * indicator_index)
    return base if previous else base + 2 + school_index % 3 + gain


def _surgut_values(loader, vector, day, coordinator, school_user):
    program, schools = vector["program"], vector["schools"]
    entry, previous, current = vector["cycle_points"]
    indicators = list(Indicator.objects.filter(program=program).entered().of_schools())
    adopters = {name for name, _ in ADOPTERS}
    approved_at = _at(program, previous.entry_deadline, 11)
    for i, indicator in enumerate(indicators):
        loader.upsert(
            Target,
            {"indicator": indicator, "point": current, "organization": None},
            {"value": Decimal(OPEN_TARGET + 4 * i), "comparison": Target.Comparison.GE},
        )
    for s, short_name in enumerate(surgut.SUPPORTED_SCHOOLS):
        school = schools[short_name]
        entered_by = school_user if short_name == surgut.SUPPORTED_SCHOOLS[0] else None
        for i, indicator in enumerate(indicators):
            loader.upsert(
                Measurement,
                {"indicator": indicator, "point": entry, "organization": school},
                {
                    "value": _value(s, i, previous=True) + ENTRY_LEAD[short_name],
                    "status": Measurement.Status.APPROVED,
                    "entered_by": entered_by,
                    "submitted_at": _at(program, entry.date, 9),
                    "approved_by": coordinator,
                    "approved_at": _at(program, entry.entry_deadline, 11),
                },
            )
            loader.upsert(
                Measurement,
                {"indicator": indicator, "point": previous, "organization": school},
                {
                    "value": _value(s, i, previous=True),
                    "status": Measurement.Status.APPROVED,
                    "entered_by": entered_by,
                    "submitted_at": _at(program, previous.date, 9),
                    "approved_by": coordinator,
                    "approved_at": approved_at,
                },
            )
            state = SHEETS[short_name][i] if i < len(SHEETS[short_name]) else "-"
            if state == "-":
                continue
            gain = ADOPTED_GAIN if short_name in adopters else 0
            value = _value(s, i, gain=gain)
            if state == "R":
                value = _value(s, i, previous=True) - 12
            loader.upsert(
                Measurement,
                {"indicator": indicator, "point": current, "organization": school},
                {
                    "value": value,
                    "status": {
                        "A": Measurement.Status.APPROVED,
                        "S": Measurement.Status.SUBMITTED,
                        "R": Measurement.Status.RETURNED,
                        "D": Measurement.Status.DRAFT,
                    }[state],
                    "entered_by": entered_by,
                    "submitted_at": _at(program, day - timedelta(2), 9) if state != "D" else None,
                    "approved_by": coordinator if state == "A" else None,
                    "approved_at": _at(program, day - timedelta(1), 11) if state == "A" else None,
                    "review_comment": RETURN_REMARK if state == "R" else "",
                },
            )


def _megion_values(loader, part, day):
    """The city's program measures its indicators for the program as a whole: all approved at
    the previous point, half of them sent at the open one."""
    program = part["program"]
    previous, current = part["cycle_points"]
    baseline = MonitoringPoint.objects.get(program=program, title=megion.BASELINE[0])
    for i, indicator in enumerate(Indicator.objects.filter(program=program).entered()):
        start = Measurement.objects.get(indicator=indicator, point=baseline).value
        loader.upsert(
            Measurement,
            {"indicator": indicator, "point": previous, "organization": None},
            {
                "value": start,
                "status": Measurement.Status.APPROVED,
                "submitted_at": _at(program, previous.date, 9),
                "approved_at": _at(program, previous.entry_deadline, 11),
            },
        )
        if i % 2:
            continue
        loader.upsert(
            Measurement,
            {"indicator": indicator, "point": current, "organization": None},
            {
                "value": min(start + 1, Decimal(100)) if start < 100 else start,
                "status": Measurement.Status.SUBMITTED,
                "submitted_at": _at(program, day - timedelta(1), 15),
            },
        )
