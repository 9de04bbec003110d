"""Pieces several report definitions share: the program's clock and header, numbers, lateness,
the supported schools a report covers."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core import numbers, timezones
from dashboards import effectiveness
from dashboards.scope import WHOLE, Scope, scope_for
from roadmaps.models import RoadmapItem

from .document import Cell, Report

PROGRAM_ROW = "по программе"

APPROVED_NOTE = (
    "В расчётах учтены только утверждённые значения показателей; значения в черновике и на "
    "проверке показаны в разделе о полноте данных."
)


def made_at(program):
    """Now, in the program region's time zone: the moment a report is made, and its «today»."""
    return timezone.localtime(timezone.now(), timezones.tzinfo(program.timezone_name))


def running_header(program):
    return program.title, program.order_display


def filename(title, name):
    """A file name for the download, without the extension: «Паспорт программы — Вектор…»."""
    text = f"{title} — {name}"
    keep = "".join(ch if ch.isalnum() or ch in " .,—-«»№()" else " " for ch in text)
    return " ".join(keep.split())[:150]


def rounded(value, places=2):
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def mean(values):
    values = [Decimal(v) for v in values if v is not None]
    if not values:
        return None
    return rounded(sum(values) / len(values))


def share(part, whole):
    """Part of the whole in per cent, one decimal; None when the whole is empty."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / whole, 1)


def lateness(item, now):
    """Whether an item is late (`RoadmapItem.days_late`, in its program region's date), as a
    cell: «да, 12 дн.» for an open item past its deadline, «выполнено позже срока» for one done
    after it, «нет» otherwise, None (shown «—») without a deadline."""
    if item.due_on is None:
        return None
    days = item.days_late(now)
    if days:
        return Cell(f"да, {days} дн.", "bad")
    if (
        item.status == RoadmapItem.Status.DONE
        and item.completed_on
        and item.completed_on > item.due_on
    ):
        return Cell("выполнено позже срока", "warn")
    return "нет"


def status_cell(item):
    tone = {
        RoadmapItem.Status.DONE: "good",
        RoadmapItem.Status.NOT_DONE: "bad",
    }.get(item.status)
    return Cell(item.get_status_display(), tone)


def responsible_text(item):
    """The responsible organizations (prefetched), or the wording of the document."""
    names = [org.short_name for org in item.responsible.all()]
    return ", ".join(names) if names else item.responsible_note


@dataclass(frozen=True)
class Coverage:
    """What a report about a program covers, as its dashboard does: the supported schools of
    the program in the scope (`dashboards.effectiveness.supported_schools`), and the rows of the
    program about them. The scope carries the access decision (`dashboards.scope.scope_for`):
    an overseer of a federal program reads the schools of every region, though the schools'
    own pages stay territorial.

    `user` is set only for someone the dashboards' rule places nowhere in the program (a
    school, a curator): their report covers the whole program (`WHOLE`) and reads every row
    through their own access rules, as their pages do."""

    program: object
    scope: Scope = WHOLE
    user: object = None

    def schools(self):
        schools = effectiveness.supported_schools(self.program, self.scope)
        return schools if self.user is None else schools.visible_to(self.user)

    def visible(self, queryset):
        """`queryset` (already narrowed to the program) as this report reads it."""
        return queryset if self.user is None else queryset.visible_to(self.user)

    def of_schools(self, queryset, path="organization", *, program_wide=False):
        """The rows of `queryset` (already narrowed to the program) tied through `path` to the
        report's schools; with `program_wide`, also those tied to no organization (the
        program's own values)."""
        if self.user is not None:
            return queryset.visible_to(self.user)
        condition = Q(**{f"{path}__in": self.schools()})
        if program_wide:
            condition = Q(**{f"{path}__isnull": True}) | condition
        return queryset.filter(condition)


def coverage(program, user, scope=WHOLE):
    """The `Coverage` of a report about `program` asked for by `user`, narrowed to `scope` (a
    territory already checked by `territory.territory_scope`; checked again here, so that no
    caller can widen a report past the rule)."""
    try:
        scope = scope_for(user, program, municipality=scope.municipality, region=scope.region)
    except PermissionDenied as error:
        if not scope.is_whole:
            raise Http404("Эта территория вне вашего доступа.") from error
        return Coverage(program, WHOLE, user)
    return Coverage(program, scope)


def supported_schools(covered):
    """{id: short name} of the schools of a `Coverage`, in one query."""
    rows = covered.schools().order_by("short_name")
    return dict(rows.values_list("id", "short_name"))


def target_text(target, unit=""):
    """«не менее 85 %»: a target as every page writes it (core.numbers); `unit` is the
    indicator's unit code."""
    if target is None:
        return ""
    return numbers.target_text(target.get_comparison_display(), target.value, unit)


UNIT_LABELS = {"percent": "%", "count": "ед.", "score": "балл", "yes_no": "да/нет"}


def unit_label(indicator):
    return UNIT_LABELS.get(indicator.unit, "")


def always(subject):
    return True


@dataclass(frozen=True)
class ReportKind:
    """One kind of report: its slug (URLs, `render_report`), its title, what it is about, and the
    definition that builds it. `queryset` is the subject's base queryset; views and the command
    narrow it with the model's `visible_to(user)` rule, so a person who cannot see the subject
    gets a 404 for every format of its reports."""

    slug: str
    title: str
    subject_label: str
    subject_model: type
    queryset: Callable
    build: Callable
    applies_to: Callable = always
    takes_period: bool = False
    # Whether it may be narrowed to a region or municipality (reports/territory.py).
    takes_territory: bool = False

    def start(self, program, *, subtitle, name, landscape=True, now=None):
        """A new, empty report of this kind about `program` or a part of it: the program and its
        order in the running header of every page, the moment it is made in the program's zone,
        and a file name from the report's title and `name`."""
        running_title, running_subtitle = running_header(program)
        return Report(
            kind=self.slug,
            title=self.title,
            subtitle=subtitle,
            running_title=running_title,
            running_subtitle=running_subtitle,
            made_at=now or made_at(program),
            filename=filename(self.title, name),
            landscape=landscape,
        )


def program_subjects():
    """The subjects of the reports about a whole program, with what their header reads."""
    from programs.models import Program

    return Program.objects.select_related("owner", "operator", "region", "municipality__region")
