"""Effectiveness indicators the portal computes from its own data.

A program's orders set thresholds such as «не менее 80 % ШНОР приняли участие в мероприятиях»,
«проведено не менее 2-х региональных мероприятий по обмену опытом», «дорожная карта реализована
в полном объеме». An `Indicator` whose `method` is not `entered` names one of these; its
threshold is its `Target` with no point and no organization. This module computes the value
from the rows of the portal and says whether the threshold is met.

API (the half-year report uses it too):

    compute(indicator, scope=None, *, now=None) -> Result
    compute_all(program, scope=None, *, now=None) -> list[Result]   # computed indicators, in order

`Result` carries the value, the numerator and denominator it came from, the threshold and
whether it is met, and two lazy querysets, `rows_counted` and `rows_not_counted`, each row
annotated with `reason` (Russian), so that every figure can be traced to the rows behind it.
Computing costs one aggregate query per indicator whatever the number of rows; the querysets
are evaluated only when a page lists them.

`Scope` narrows everything to the schools of one municipality or region (a coordinator's view of
a national program); `Scope()` is the whole program.

What is counted, method by method:
- attendance_share: supported schools (participants with role «школа адресной поддержки») that
  attended at least one event of the program that has begun, out of all supported schools, in %;
- exchange_events_regional / _municipal: events of the program marked «обмен опытом» of that
  level that have begun (with a scope: those organized by or inviting a school of the scope);
- items_done_share: items with the state «выполнено», out of all items of the program's
  roadmaps except cancelled ones, in % (with a scope: items of the scope, `RoadmapItemQuerySet.in_scope`);
- agreements_share: pairs with an agreement that has a signing date, out of all pairs, in %;
- documents_approved_share: schools' documents with the state «одобрен», out of all schools'
  documents of the program, in %.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from core import numbers
from monitoring.models import Indicator, Target
from programs.models import CuratorPair, Document
from roadmaps.models import Attendance, Event, RoadmapItem
from schools.models import Organization

from .scope import WHOLE

Method = Indicator.Method

# What the rows of each method are, for the drill-down page.
ROW_KINDS = {
    Method.ATTENDANCE_SHARE: ("school", "Школы адресной поддержки"),
    Method.EXCHANGE_EVENTS_REGIONAL: ("event", "События программы"),
    Method.EXCHANGE_EVENTS_MUNICIPAL: ("event", "События программы"),
    Method.ITEMS_DONE_SHARE: ("item", "Мероприятия дорожных карт"),
    Method.AGREEMENTS_SHARE: ("pair", "Пары «куратор — школа»"),
    Method.DOCUMENTS_APPROVED_SHARE: ("document", "Документы школ"),
}


@dataclass
class Result:
    """One computed indicator: its value, where it came from, and whether its threshold is met."""

    indicator: Indicator
    value: Decimal | None
    numerator: int
    denominator: int | None
    rows_counted: object
    rows_not_counted: object
    threshold: Target | None
    met: bool | None

    @property
    def is_share(self):
        return self.denominator is not None

    @property
    def row_kind(self):
        return ROW_KINDS[self.indicator.method][0]

    @property
    def rows_title(self):
        return ROW_KINDS[self.indicator.method][1]

    @property
    def value_display(self):
        if self.value is None:
            return "нет данных"
        return numbers.value_text(self.value, "percent" if self.is_share else "")

    @property
    def basis_display(self):
        if self.is_share:
            return f"{self.numerator} из {self.denominator}"
        return f"{self.numerator}"


def compute(indicator, scope=WHOLE, *, now=None):
    """Compute one indicator with a computed method; raises ValueError for an entered one."""
    if not indicator.is_computed:
        raise ValueError(f"Indicator {indicator.code} is entered, not computed.")
    now = now or timezone.now()
    scope = scope or WHOLE
    program = indicator.program
    counted, not_counted, numerator, denominator = _METHODS[indicator.method](
        program, scope, now, indicator.method
    )
    if denominator is None:
        value = Decimal(numerator)
    elif denominator:
        value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    else:
        value = None
    threshold = _threshold(indicator)
    met = threshold.is_met_by(value) if threshold is not None and value is not None else None
    return Result(
        indicator=indicator,
        value=value,
        numerator=numerator,
        denominator=denominator,
        rows_counted=counted,
        rows_not_counted=not_counted,
        threshold=threshold,
        met=met,
    )


def compute_all(program, scope=WHOLE, *, now=None):
    """Every computed indicator of the program, in the program's order of indicators."""
    indicators = (
        program.indicators.exclude(method=Method.ENTERED)
        .select_related("program")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.filter(point__isnull=True, organization__isnull=True),
                to_attr="thresholds",
            )
        )
    )
    return [compute(indicator, scope, now=now) for indicator in indicators]


def _threshold(indicator):
    """The program's standing threshold: the target that applies to the program as a whole
    with no point (`TargetQuerySet.pick`)."""
    if hasattr(indicator, "thresholds"):
        thresholds = indicator.thresholds
    else:
        thresholds = indicator.targets.filter(point__isnull=True, organization__isnull=True)
    return Target.objects.pick(thresholds, indicator.pk, None)


def _split(base, condition, counted_reason, not_counted_reason):
    """Counted and not counted rows of `base`, each with its reason, and the two counts taken
    by one aggregate query."""
    if isinstance(condition, Q):
        condition = ExpressionWrapper(condition, output_field=BooleanField())
    flagged = base.annotate(_counted=condition)
    totals = flagged.aggregate(total=Count("pk"), counted=Count("pk", filter=Q(_counted=True)))
    counted = flagged.filter(_counted=True).annotate(reason=counted_reason)
    not_counted = flagged.filter(_counted=False).annotate(reason=not_counted_reason)
    return counted, not_counted, totals["counted"], totals["total"]


def _text(value):
    return Value(value, output_field=CharField())


def supported_schools(program, scope=WHOLE):
    """The program's supported schools (`Program.supported_schools`) in the scope."""
    return program.supported_schools().filter(scope.organizations())


def _attendance_share(program, scope, now, method):
    attended = Exists(
        Attendance.objects.filter(
            organization=OuterRef("pk"), event__program=program, event__starts_at__lte=now
        )
    )
    base = supported_schools(program, scope).select_related("municipality")
    return _split(
        base,
        attended,
        _text("участвовала в событиях программы"),
        _text("не участвовала ни в одном событии программы"),
    )


def _scoped_events(program, scope):
    events = Event.objects.filter(program=program)
    if scope.is_whole:
        return events
    in_scope = Organization.objects.filter(scope.organizations())
    return events.filter(
        Q(organizer__in=in_scope)
        | Q(pk__in=Event.invited.through.objects.filter(organization__in=in_scope).values("event"))
    )


def _exchange_events(program, scope, now, method):
    level = (
        Event.Level.REGIONAL if method == Method.EXCHANGE_EVENTS_REGIONAL else Event.Level.MUNICIPAL
    )
    qualifies = Case(
        When(Q(level=level, is_exchange=True, starts_at__lte=now), then=Value(True)),
        default=Value(False),
    )
    label = dict(Event.Level.choices)[level]
    counted, not_counted, numerator, _ = _split(
        _scoped_events(program, scope).select_related("item"),
        qualifies,
        _text(f"{label}, обмен опытом, проведено"),
        Case(
            When(~Q(level=level), then=_text(f"не {label} событие")),
            When(is_exchange=False, then=_text("не обмен опытом")),
            default=_text("ещё не проведено"),
            output_field=CharField(),
        ),
    )
    return counted, not_counted, numerator, None


def _items_done_share(program, scope, now, method):
    items = (
        RoadmapItem.objects.filter(roadmap__program=program)
        .in_scope(scope)
        .select_related("roadmap", "module")
    )
    totals = items.completion(now, [program])
    counted = items.filter(status=RoadmapItem.Status.DONE).annotate(reason=_text("выполнено"))
    # Cancelled items are listed among those not counted, with their reason, but do not lower
    # the share: the plan was changed, not failed.
    not_counted = items.exclude(status=RoadmapItem.Status.DONE).annotate(
        reason=Case(
            When(
                status=RoadmapItem.Status.CANCELLED,
                then=_text("отменено — не входит в расчёт"),
            ),
            *[
                When(status=value, then=_text(f"не выполнено: {label}"))
                for value, label in RoadmapItem.Status.choices
            ],
            output_field=CharField(),
        )
    )
    return counted, not_counted, totals["done"], totals["total"]


def _agreements_share(program, scope, now, method):
    pairs = CuratorPair.objects.filter(program=program).filter(
        scope.organizations("supported_school")
    )
    return _split(
        pairs.select_related("curator_school", "supported_school"),
        CuratorPair.objects.signed_condition(),
        _text("соглашение подписано"),
        _text("нет подписанного соглашения"),
    )


def _documents_approved_share(program, scope, now, method):
    documents = Document.objects.filter(
        program=program, organization__kind=Organization.Kind.SCHOOL
    ).filter(scope.organizations("organization"))
    return _split(
        documents.select_related("organization"),
        Q(status=Document.Status.APPROVED),
        _text("одобрен"),
        Case(
            *[
                When(status=value, then=_text(f"не одобрен: {label}"))
                for value, label in Document.Status.choices
            ],
            output_field=CharField(),
        ),
    )


_METHODS = {
    Method.ATTENDANCE_SHARE: _attendance_share,
    Method.EXCHANGE_EVENTS_REGIONAL: _exchange_events,
    Method.EXCHANGE_EVENTS_MUNICIPAL: _exchange_events,
    Method.ITEMS_DONE_SHARE: _items_done_share,
    Method.AGREEMENTS_SHARE: _agreements_share,
    Method.DOCUMENTS_APPROVED_SHARE: _documents_approved_share,
}
