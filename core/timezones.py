"""Russia's time zones, named as people in Russia name them.

One table serves the region's zone field (its choices and its validation) and every place that
tells a person which clock a time is on («время екатеринбургское, UTC+5»). A zone outside this
table is refused by the form, so no page ever meets a zone Python cannot load.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Zone:
    """One of Russia's zones: its IANA name, the city it is named after, and its clock's name."""

    name: str
    city: str
    # «время московское»: the adjective the clock is called by, as on the railway and in orders.
    clock: str
    offset_hours: int

    @property
    def offset(self) -> str:
        return f"UTC{self.offset_hours:+d}"

    @property
    def label(self) -> str:
        """«Екатеринбург, UTC+5»: the zone as a choice in a form."""
        return f"{self.city}, {self.offset}"

    @property
    def clock_label(self) -> str:
        """«время екатеринбургское, UTC+5»: the zone beside a time a person reads."""
        return f"время {self.clock}, {self.offset}"


# West to east. Russia keeps no daylight saving time since 2014, so each offset is fixed.
ZONES = (
    Zone("Europe/Kaliningrad", "Калининград", "калининградское", 2),
    Zone("Europe/Moscow", "Москва", "московское", 3),
    Zone("Europe/Simferopol", "Симферополь", "московское", 3),
    Zone("Europe/Kirov", "Киров", "московское", 3),
    Zone("Europe/Volgograd", "Волгоград", "московское", 3),
    Zone("Europe/Samara", "Самара", "самарское", 4),
    Zone("Europe/Astrakhan", "Астрахань", "самарское", 4),
    Zone("Europe/Saratov", "Саратов", "самарское", 4),
    Zone("Europe/Ulyanovsk", "Ульяновск", "самарское", 4),
    Zone("Asia/Yekaterinburg", "Екатеринбург", "екатеринбургское", 5),
    Zone("Asia/Omsk", "Омск", "омское", 6),
    Zone("Asia/Novosibirsk", "Новосибирск", "красноярское", 7),
    Zone("Asia/Barnaul", "Барнаул", "красноярское", 7),
    Zone("Asia/Tomsk", "Томск", "красноярское", 7),
    Zone("Asia/Novokuznetsk", "Новокузнецк", "красноярское", 7),
    Zone("Asia/Krasnoyarsk", "Красноярск", "красноярское", 7),
    Zone("Asia/Irkutsk", "Иркутск", "иркутское", 8),
    Zone("Asia/Chita", "Чита", "якутское", 9),
    Zone("Asia/Yakutsk", "Якутск", "якутское", 9),
    Zone("Asia/Khandyga", "Хандыга", "якутское", 9),
    Zone("Asia/Vladivostok", "Владивосток", "владивостокское", 10),
    Zone("Asia/Ust-Nera", "Усть-Нера", "владивостокское", 10),
    Zone("Asia/Magadan", "Магадан", "магаданское", 11),
    Zone("Asia/Sakhalin", "Сахалин", "магаданское", 11),
    Zone("Asia/Srednekolymsk", "Среднеколымск", "магаданское", 11),
    Zone("Asia/Kamchatka", "Камчатка", "камчатское", 12),
    Zone("Asia/Anadyr", "Анадырь", "камчатское", 12),
)

BY_NAME = {zone.name: zone for zone in ZONES}
CHOICES = [(zone.name, zone.label) for zone in ZONES]


def zone(name: str) -> Zone | None:
    """The zone of this IANA name, or None when it is not one of Russia's."""
    return BY_NAME.get(name)


def tzinfo(name: str, fallback: str = "Europe/Moscow") -> ZoneInfo:
    """The ZoneInfo of a stored zone name; a name outside the table reads as the fallback, so a
    bad row written before validation existed never turns a page into a server error."""
    return ZoneInfo(name if name in BY_NAME else fallback)


def clock_label(name: str) -> str:
    """«время екатеринбургское, UTC+5»; for a name outside the table, the name itself."""
    found = BY_NAME.get(name)
    return found.clock_label if found else name


# The zone of the person a request is for (core.middleware.PersonZoneMiddleware). It changes
# how times are written, never what «today» is for the portal's rules.
_person_zone: ContextVar[str | None] = ContextVar("person_zone", default=None)


@contextmanager
def person_zone(name: str | None):
    """Write times on the clock of `name` for the duration of a request."""
    token = _person_zone.set(name)
    try:
        yield
    finally:
        _person_zone.reset(token)


def _active():
    """The zone a page about one program switched to (`{% timezone %}`, `timezone.override`),
    or None outside such a page."""
    return getattr(timezone._active, "value", None)


def current_name() -> str:
    """The name of the clock times are written on now: the program's inside `{% timezone %}` or
    `timezone.override`, else the person's, else `TIME_ZONE`."""
    active = _active()
    if active is not None:
        return getattr(active, "key", str(active))
    return _person_zone.get() or settings.TIME_ZONE


def moment(value: datetime | None, name: str | None = None) -> str:
    """«15.03.2023 19:15»: the one way a moment is written for a person, on the clock of the zone
    `name` (when None, the program's on a program's page, else the person's). Every page,
    letter, PDF and table writes times so."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        if name:
            zone = tzinfo(name, settings.TIME_ZONE)
        else:
            zone = _active() or tzinfo(current_name(), settings.TIME_ZONE)
        value = timezone.localtime(value, zone)
    return f"{value:%d.%m.%Y %H:%M}"


def time_of_day(value: datetime | None, name: str | None = None) -> str:
    """«14:05»: the hour and minute of `moment`, on the same clock, where the day goes without
    saying (figures «по состоянию на 14:05»)."""
    return moment(value, name)[-5:]


def moment_with_clock(value: datetime | None, name: str | None = None) -> str:
    """«15.03.2023 19:15 (время екатеринбургское, UTC+5)»: a moment where no page around it names
    the clock — in a letter, a notice, a file."""
    if value is None:
        return ""
    return f"{moment(value, name)} ({clock_label(name or current_name())})"
