"""Numbers: indicators of a program, the points at which they are measured, their targets and
the values schools enter."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core import numbers
from core.access import access_rule, any_of, reach
from core.expressions import PlusDays
from core.revisions import RevisionedModel
from core.text import shorten
from programs.models import Curator, Program
from schools.models import Organization


class ProgramScopedQuerySet(models.QuerySet):
    """Rows that belong to a program: seen with it, changed by its coordinators."""

    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))


class IndicatorQuerySet(ProgramScopedQuerySet):
    def entered(self):
        """Indicators whose values people type in (not computed from the portal's data)."""
        return self.filter(method=Indicator.Method.ENTERED)

    def computed(self):
        """Indicators the portal computes from its own data; nobody types them in."""
        return self.exclude(method=Indicator.Method.ENTERED)

    def of_schools(self):
        """Indicators measured at each school (not for the program as a whole)."""
        return self.filter(level=Indicator.Level.SCHOOL)

    def with_program_targets(self):
        """Each indicator with `program_targets`: its targets for the program as a whole (no
        organization), by point date; one query for all indicators."""
        return self.prefetch_related(
            models.Prefetch(
                "targets",
                queryset=Target.objects.filter(organization__isnull=True)
                .select_related("point")
                .order_by(models.F("point__date").asc(nulls_first=True)),
                to_attr="program_targets",
            )
        )


class Indicator(models.Model):
    """A measured quantity of a program (показатель): entered by schools or coordinators, or
    computed from the portal's own data."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        COUNT = "count", "количество"
        SCORE = "score", "балл"
        YES_NO = "yes_no", "да / нет"

    class Direction(models.TextChoices):
        UP = "up", "чем больше, тем лучше"
        DOWN = "down", "чем меньше, тем лучше"

    class Level(models.TextChoices):
        PROGRAM = "program", "программа в целом"
        REGION = "region", "региональный уровень"
        MUNICIPALITY = "municipality", "муниципальный уровень"
        SCHOOL = "school", "уровень школы"

    class Method(models.TextChoices):
        ENTERED = "entered", "вводится"
        ATTENDANCE_SHARE = "attendance_share", "доля школ, участвовавших в событиях программы"
        EXCHANGE_EVENTS_REGIONAL = (
            "exchange_events_regional",
            "число региональных событий по обмену опытом",
        )
        EXCHANGE_EVENTS_MUNICIPAL = (
            "exchange_events_municipal",
            "число муниципальных событий по обмену опытом",
        )
        ITEMS_DONE_SHARE = "items_done_share", "доля выполненных мероприятий дорожной карты"
        AGREEMENTS_SHARE = "agreements_share", "доля пар с подписанным соглашением"
        DOCUMENTS_APPROVED_SHARE = "documents_approved_share", "доля одобренных документов школ"

    # Computed indicators that are a share of rows (in %) and those that are a count.
    SHARE_METHODS = frozenset(
        {
            Method.ATTENDANCE_SHARE,
            Method.ITEMS_DONE_SHARE,
            Method.AGREEMENTS_SHARE,
            Method.DOCUMENTS_APPROVED_SHARE,
        }
    )
    COUNT_METHODS = frozenset({Method.EXCHANGE_EVENTS_REGIONAL, Method.EXCHANGE_EVENTS_MUNICIPAL})

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="indicators", verbose_name="программа"
    )
    code = models.CharField("номер", max_length=16)
    title = models.TextField("показатель")
    unit = models.CharField("единица", max_length=16, choices=Unit.choices, default=Unit.PERCENT)
    source = models.CharField(
        "диагностический инструментарий",
        max_length=300,
        blank=True,
        help_text="ГИА, ВПР, РЭШ, ВСОКО, промежуточная аттестация…",
    )
    group = models.CharField("группа", max_length=300, blank=True)
    direction = models.CharField(
        "направление", max_length=8, choices=Direction.choices, default=Direction.UP
    )
    level = models.CharField("уровень", max_length=16, choices=Level.choices, default=Level.SCHOOL)
    method = models.CharField(
        "способ получения", max_length=32, choices=Method.choices, default=Method.ENTERED
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["program", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="indicator_unique_code",
                violation_error_message="В программе уже есть показатель с таким номером.",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {shorten(self.title, 100)}"

    def deletion_blocker(self):
        """An indicator with values keeps them."""
        if self.measurements.exists():
            return "У показателя уже есть значения: его нельзя удалить."
        return ""

    @property
    def is_computed(self):
        return self.method != self.Method.ENTERED

    @property
    def is_entered_at_school(self):
        """Whether each school types in its value: `IndicatorQuerySet.entered().of_schools()`
        for one indicator already fetched."""
        return not self.is_computed and self.level == self.Level.SCHOOL

    BETTER, WORSE, SAME = "better", "worse", "same"

    def movement(self, before, after):
        """Whether a value that went from `before` to `after` improved: «better» when it moved
        the way the indicator's direction calls good (up for «чем больше, тем лучше», down for
        «чем меньше, тем лучше»), «worse» when it moved the other way, «same» when it did not
        move; None when either value is missing. Every page, report and chart that marks a
        change as an improvement or a decline asks this."""
        if before is None or after is None:
            return None
        if after == before:
            return self.SAME
        went_up = after > before
        return self.BETTER if went_up == (self.direction == self.Direction.UP) else self.WORSE

    def favourable(self, change):
        """A change (after − before, or a difference of changes) signed so that positive is
        better by the indicator's direction: as is for «чем больше, тем лучше», negated for
        «чем меньше, тем лучше»; None stays None. `movement` names the same rule in words."""
        if change is None:
            return None
        return change if self.direction == self.Direction.UP else -change

    def check_value(self, value):
        """The unit's rule for a value, with a message for the person who typed it."""
        if value is None:
            return
        if self.unit == self.Unit.PERCENT and not (Decimal(0) <= value <= Decimal(100)):
            raise ValidationError("Процент должен быть от 0 до 100.")
        if self.unit == self.Unit.COUNT and (value < 0 or value != value.to_integral_value()):
            raise ValidationError("Количество должно быть целым числом не меньше 0.")
        if self.unit == self.Unit.YES_NO and value not in (Decimal(0), Decimal(1)):
            raise ValidationError("Допустимы только значения «да» или «нет».")
        if self.unit == self.Unit.SCORE and value < 0:
            raise ValidationError("Балл не может быть отрицательным.")


class MonitoringPointQuerySet(ProgramScopedQuerySet):
    def with_closing_day(self):
        """Each point with `closing_day`, the database's `MonitoringPoint.closes_on`, to filter
        and order by."""
        return self.alias(
            closing_day=Coalesce("entry_deadline", PlusDays("date", "program__entry_window_days"))
        )

    def open_for_entry(self, today=None):
        """Points that take values today: not locked, and not past `closes_on`."""
        today = today or timezone.localdate()
        return self.with_closing_day().filter(locked=False, closing_day__gte=today)

    def enterable_by(self, user, today=None):
        """Open points of programs where a school whose data the user may change takes part
        as a supported school: where the user has values to enter."""
        schools = Organization.objects.data_editable_by(user).schools()
        programs = Program.objects.visible_to(user).supporting(schools)
        return self.open_for_entry(today).filter(program__in=programs)


class MonitoringPoint(models.Model):
    """A date at which indicator values are taken (срок, точка мониторинга)."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", "базовое значение"
        INTERMEDIATE = "intermediate", "промежуточный"
        FINAL = "final", "итоговый"

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="points", verbose_name="программа"
    )
    title = models.CharField("название", max_length=300)
    date = models.DateField("дата")
    kind = models.CharField("вид", max_length=16, choices=Kind.choices, default=Kind.INTERMEDIATE)
    stage = models.PositiveSmallIntegerField(
        "этап мониторинга",
        null=True,
        blank=True,
        help_text="Мониторинг позитивных изменений: 1-й, 2-й этап",
    )
    entry_deadline = models.DateField(
        "приём значений до",
        null=True,
        blank=True,
        help_text="После этой даты значения меняет только координатор",
    )
    locked = models.BooleanField("закрыт", default=False)

    objects = MonitoringPointQuerySet.as_manager()

    class Meta:
        verbose_name = "точка мониторинга"
        verbose_name_plural = "точки мониторинга"
        ordering = ["program", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "date", "kind"],
                name="point_unique_date",
                violation_error_message="В программе уже есть точка мониторинга этого вида на эту дату.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("monitoring:point", args=[self.pk])

    def deletion_blocker(self):
        """A point with values keeps them: they are what the monitoring was for."""
        if self.measurements.exists():
            return "В точке уже есть значения показателей: её нельзя удалить."
        return ""

    @property
    def closes_on(self):
        """The last day schools enter values: the point's entry deadline, or, when it names
        none, its date plus the program's window (`Program.entry_window_days`), so that no
        point stays open for ever. `MonitoringPointQuerySet.with_closing_day` is the same rule
        in the database."""
        if self.entry_deadline is not None:
            return self.entry_deadline
        return self.date + timedelta(days=self.program.entry_window_days)

    @staticmethod
    def baseline_among(points, point):
        """Of a program's points ordered by date, the baseline for `point` (базовая точка): the
        latest point of the kind «базовое значение» on or before it, else the program's first
        point. `point` None means the last of `points`; None when there are no points. Every
        page and report that compares a value with the baseline takes the baseline from here."""
        points = list(points)
        if not points:
            return None
        upto = points[: points.index(point) + 1] if point in points else points
        baselines = [p for p in upto if p.kind == MonitoringPoint.Kind.BASELINE]
        return baselines[-1] if baselines else points[0]

    def baseline(self):
        """The baseline for this point (`baseline_among` over its program's points); one query."""
        points = MonitoringPoint.objects.filter(program_id=self.program_id).order_by("date", "pk")
        return self.baseline_among(points, self)

    def is_open_on(self, today):
        return not self.locked and today <= self.closes_on

    @property
    def is_open(self):
        return self.is_open_on(timezone.localdate())

    def values_changeable_by(self, user, school, today=None):
        """Whether the user may enter or change the school's values at this point: the
        school's staff and coordinators while the point is open; after its deadline, or once
        it is locked, only coordinators (of the school's territory or of the program)."""
        if not Organization.objects.data_editable_by(user).contains(school):
            return False
        if self.is_open_on(today or timezone.localdate()):
            return True
        return Organization.objects.editable_by(user).contains(
            school
        ) or MonitoringPoint.objects.editable_by(user).contains(self)


class TargetQuerySet(models.QuerySet):
    def for_school(self, school):
        """The targets that may apply to `school`: its own and the program's."""
        return self.filter(Q(organization=school) | Q(organization__isnull=True))

    @staticmethod
    def pick(targets, indicator_id, point_id, organization_id=None):
        """The target that applies (плановое значение) to a school's value of an indicator at
        a point, of `targets` already fetched: the school's own target at the point, else the
        program's target at the point, else the school's standing threshold (no point), else
        the program's standing one. `organization_id` None asks for the program as a whole:
        its target at the point, else its standing threshold. `applying` is the same rule in
        the database; every page, report, export and chart takes its target from one of the
        two."""
        best = None
        for target in targets:
            if target.indicator_id != indicator_id or target.point_id not in (point_id, None):
                continue
            if target.organization_id not in (organization_id, None):
                continue
            rank = (target.point_id is not None, target.organization_id is not None)
            if best is None or rank > best[0]:
                best = (rank, target)
        return best[1] if best else None

    def applying(self, indicator, point, organization):
        """The targets that may apply to `organization`'s value of `indicator` at `point`, the
        one that applies first (the rule of `pick`); each argument an object, an id or an
        `OuterRef`, so that a query can read the target of every row in the database."""
        return self.filter(
            Q(point=point) | Q(point__isnull=True),
            Q(organization=organization) | Q(organization__isnull=True),
            indicator=indicator,
        ).order_by(
            models.F("point").asc(nulls_last=True), models.F("organization").asc(nulls_last=True)
        )

    def applicable(self, point, school=None):
        """For each indicator, the target that applies to `school` (None: the program as a
        whole) at `point` (see `pick`). Returns {indicator id: Target}; one query."""
        targets = self.filter(Q(point=point) | Q(point__isnull=True))
        targets = list(
            targets.for_school(school)
            if school is not None
            else targets.filter(organization__isnull=True)
        )
        ids = {t.indicator_id for t in targets}
        school_id = school.pk if school is not None else None
        return {i: self.pick(targets, i, point.pk, school_id) for i in ids}


class Target(models.Model):
    """A target value of an indicator at a point (плановое значение): «не менее 85 %» is 85, ≥.
    Without an organization it is the program's target."""

    class Comparison(models.TextChoices):
        GE = "ge", "не менее"
        LE = "le", "не более"
        EQ = "eq", "равно"

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="targets", verbose_name="показатель"
    )
    point = models.ForeignKey(
        MonitoringPoint,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name="точка мониторинга",
        help_text="Пусто — порог для программы в целом",
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name="организация",
    )
    value = models.DecimalField("значение", max_digits=12, decimal_places=2)
    comparison = models.CharField(
        "сравнение", max_length=2, choices=Comparison.choices, default=Comparison.GE
    )
    text = models.CharField("как в документе", max_length=500, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "целевое значение"
        verbose_name_plural = "целевые значения"
        ordering = ["indicator", "point__date"]
        # NULL never equals NULL in a unique index, so each combination of blanks gets its own.
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "point", "organization"],
                condition=Q(point__isnull=False, organization__isnull=False),
                name="target_unique_point_org",
                violation_error_message="Целевое значение для этой точки и организации уже есть.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "point"],
                condition=Q(point__isnull=False, organization__isnull=True),
                name="target_unique_point",
                violation_error_message="Целевое значение программы для этой точки уже есть.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "organization"],
                condition=Q(point__isnull=True, organization__isnull=False),
                name="target_unique_org",
                violation_error_message="Порог для этой организации уже есть.",
            ),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(point__isnull=True, organization__isnull=True),
                name="target_unique_threshold",
                violation_error_message="Порог программы для этого показателя уже есть.",
            ),
        ]

    def __str__(self):
        # The order's own wording when it has one («у всех пар»), else the comparison and value.
        return self.text or numbers.target_text(self.get_comparison_display(), self.value)

    def is_met_by(self, value):
        if value is None:
            return None
        value = Decimal(value)
        if self.comparison == self.Comparison.GE:
            return value >= self.value
        if self.comparison == self.Comparison.LE:
            return value <= self.value
        return value == self.value


def counted_condition():
    """`MeasurementQuerySet.counted` as a condition, for counts and averages filtered inside
    one grouped query (`Count(..., filter=counted_condition())`)."""
    return Q(status__in=Measurement.COUNTED, value__isnull=False)


class MeasurementQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Values of organizations the user sees; program-wide values (no organization) to
        those who see the program's territory."""
        r = reach(user)
        programs = Program.objects.visible_to(user)
        return self.filter(point__program__in=programs).filter(
            any_of(
                r.sees_organization("organization"),
                Q(organization__isnull=True)
                & r.territory("point__program__region", "point__program__municipality"),
            )
        )

    @access_rule
    def editable_by(self, user):
        """Values the user may enter: the school's staff and coordinators of its territory. The
        point's deadline is checked by `MonitoringPoint.values_changeable_by`, the approval
        lock by `Measurement.is_locked`. Never more than the user sees."""
        r = reach(user)
        return self.visible_to(user).filter(
            any_of(
                r.changes_school_data("organization"),
                Q(organization__isnull=True)
                & Q(point__program__in=Program.objects.editable_by(user)),
            )
        )

    def counted(self):
        """The values that count for a figure (average, dynamics, target met, change since the
        baseline): approved ones (утверждённые), as a ministry reports them. Drafts, values
        waiting for approval and returned ones count only in the completeness of a point.
        Every dashboard, chart, report, export and the school page reads its figures from here."""
        return self.filter(counted_condition())

    def with_target(self):
        """Each value with the target that applies to it (`TargetQuerySet.pick`, read in the
        database): `target_value`, `target_comparison`, and `meets_target` (True, False, or
        None without a target)."""
        applying = Target.objects.applying(
            models.OuterRef("indicator"), models.OuterRef("point"), models.OuterRef("organization")
        )
        value, cmp = models.F("target_value"), Target.Comparison
        return self.annotate(
            target_value=models.Subquery(applying.values("value")[:1]),
            target_comparison=models.Subquery(applying.values("comparison")[:1]),
        ).annotate(
            meets_target=models.Case(
                models.When(Q(target_value__isnull=True) | Q(value__isnull=True), then=None),
                models.When(
                    Q(target_comparison=cmp.GE, value__gte=value)
                    | Q(target_comparison=cmp.LE, value__lte=value)
                    | Q(target_comparison=cmp.EQ, value=value),
                    then=models.Value(True),
                ),
                default=models.Value(False),
                output_field=models.BooleanField(null=True),
            )
        )

    def awaiting_approval(self):
        return self.filter(status=Measurement.Status.SUBMITTED)

    def drafts_to_finish(self, user, today=None):
        """Values the user's own school saved as a draft (something typed) and has not
        submitted, at points still open for entry: on the school's home page as work to
        finish. Coordinators and curators may change or approve a school's values, but its
        drafts are the school's to send, never their to-do."""
        schools = reach(user).editor_schools
        if not schools:
            return self.none()
        return (
            self.visible_to(user)
            .filter(
                status=Measurement.Status.DRAFT,
                organization__in=schools,
                point__in=MonitoringPoint.objects.open_for_entry(today).values("pk"),
            )
            .filter(Q(value__isnull=False) | ~Q(comment=""))
        )

    def completeness(self, *by):
        """Per organization (and per the fields named in `by`, such as "point"): how many
        values are filled in, submitted, approved and returned, counted in the database (rows
        of `organization`, `filled`, `submitted`, `approved`, `returned`)."""
        status = Measurement.Status
        return (
            self.order_by()
            .values("organization", *by)
            .annotate(
                filled=models.Count("pk", filter=Q(value__isnull=False)),
                submitted=models.Count("pk", filter=Q(status=status.SUBMITTED)),
                approved=models.Count("pk", filter=Q(status=status.APPROVED)),
                returned=models.Count("pk", filter=Q(status=status.RETURNED)),
            )
        )

    def sheet_progress(self, points, schools):
        """{(point id, school id): SheetProgress} for every pair of `points` (fetched) and
        `schools` (ids): where each school's sheet stands among these values, against the
        number of indicators its program's schools enter. Two queries."""
        schools = list(schools)
        counts = {
            (row["point"], row["organization"]): row
            for row in self.filter(
                point__in=points,
                organization__in=schools,
                indicator__in=Indicator.objects.entered().of_schools(),
            ).completeness("point")
        }
        totals = dict(
            Indicator.objects.filter(program__in={point.program_id for point in points})
            .entered()
            .of_schools()
            .order_by()
            .values("program")
            .annotate(n=models.Count("pk"))
            .values_list("program", "n")
        )
        return {
            (point.pk, school): SheetProgress.of(
                counts.get((point.pk, school)), totals.get(point.program_id, 0)
            )
            for point in points
            for school in schools
        }

    @access_rule
    def approvable_by(self, user):
        """Values the user may approve or return: coordinators of the school's territory or of
        the program, and the curators the curator school (школа-куратор) appointed to the
        school's pair in that program, among the values they see (a national program's
        coordinator does not see every school). The supported school's own curator does not
        approve its values, and nobody approves a value they entered themselves."""
        r = reach(user)
        curating = (
            models.Exists(
                Curator.objects.filter(
                    user_id=r.user_id,
                    organization=models.F("pair__curator_school"),
                    pair__supported_school=models.OuterRef("organization"),
                    pair__program=models.OuterRef("point__program"),
                )
            )
            if r.pairs
            else None
        )
        approvable = self.visible_to(user).filter(
            any_of(
                r.territory("organization__region", "organization__municipality", coordinator=True),
                Q(point__program__in=Program.objects.editable_by(user)),
                Q(curating) if curating is not None else None,
            )
        )
        return approvable.exclude(entered_by_id=r.user_id) if r.user_id else approvable.none()


@dataclass(frozen=True)
class SheetProgress:
    """Where one school's data-entry sheet at one point stands: of the `total` indicators the
    school enters, how many values are filled in, submitted, approved and returned (the
    counts of `MeasurementQuerySet.completeness`)."""

    total: int
    filled: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0

    @classmethod
    def of(cls, counts, total):
        """From a row of `completeness()` (None when the school has entered nothing)."""
        counts = counts or {}
        names = ("filled", "submitted", "approved", "returned")
        return cls(total, **{name: counts.get(name, 0) for name in names})

    @property
    def sent(self):
        """Values the school has sent: waiting for a verdict, or approved."""
        return self.submitted + self.approved

    @property
    def complete(self):
        """Every value is sent: nothing is left for the school to do at this point."""
        return bool(self.total) and self.sent == self.total

    @property
    def state(self):
        """The word for where the sheet stands, and its badge colour."""
        if self.total and self.approved == self.total:
            return "утверждено", "success"
        if self.complete:
            return "отправлено", "info"
        if self.returned:
            return "возвращено на доработку", "warning"
        if self.filled:
            return "заполняется", "secondary"
        return "не начато", "danger"


class Measurement(RevisionedModel):
    """One organization's value of one indicator at one point (значение показателя)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "отправлено"
        APPROVED = "approved", "утверждено"
        RETURNED = "returned", "возвращено на доработку"

    # Values the school has sent: waiting for a verdict, or approved. They count as submitted
    # in completeness figures, and an approver may return them.
    SENT = (Status.SUBMITTED, Status.APPROVED)
    # The states of values that count for a figure (`MeasurementQuerySet.counted`).
    COUNTED = (Status.APPROVED,)

    # A value is what a ministry reports: deleting its indicator or point never deletes it.
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="measurements", verbose_name="показатель"
    )
    point = models.ForeignKey(
        MonitoringPoint,
        models.PROTECT,
        related_name="measurements",
        verbose_name="точка мониторинга",
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name="организация",
        help_text="Пусто — значение программы в целом",
    )
    value = models.DecimalField("значение", max_digits=12, decimal_places=2, null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField("замечание проверяющего", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
    )
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утвердил",
    )
    approved_at = models.DateTimeField("утверждено", null=True, blank=True)

    history = HistoricalRecords()
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        ordering = ["point__date", "indicator__order", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "point", "organization"],
                condition=Q(organization__isnull=False),
                name="measurement_unique",
                violation_error_message="Значение этого показателя в этой точке для этой организации уже есть.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "point"],
                condition=Q(organization__isnull=True),
                name="measurement_unique_program",
                violation_error_message="Значение этого показателя программы в этой точке уже есть.",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(value__isnull=False),
                name="measurement_approved_has_value",
                violation_error_message="Утвердить можно только заполненное значение.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} @ {self.point}: {self.value}"

    @property
    def can_be_approved(self):
        return self.status == self.Status.SUBMITTED

    @property
    def can_be_returned(self):
        return self.status in self.SENT

    @property
    def is_locked(self):
        """An approved value is no longer changed by entry; an approver may return it."""
        return self.status == self.Status.APPROVED

    def submit(self, user, at=None):
        """Send the value for approval (отправить на проверку), as its school does from the
        data-entry sheet and a coordinator does by importing a file. Does not save."""
        if self.value is None:
            raise ValidationError("Заполните значение, чтобы отправить на проверку.")
        if self.is_locked:
            raise ValidationError("Значение уже утверждено.")
        self.status = self.Status.SUBMITTED
        self.submitted_at = at or timezone.now()

    def withdraw(self):
        """Take the value back to a draft (a school saved a draft over it); approval and the
        reviewer's comment of the earlier round no longer apply. Does not save. Returns whether
        it had been sent for approval, so that the school can be told."""
        was_sent = self.status == self.Status.SUBMITTED
        self.status = self.Status.DRAFT
        return was_sent

    def approve(self, user, comment=""):
        """Approve the submitted value (утвердить), keeping the approver's note as the review
        comment; the comment of an earlier return is replaced. Whoever entered the value never
        approves it. Does not save; who may approve is `MeasurementQuerySet.approvable_by`."""
        if not self.can_be_approved:
            raise ValidationError("Утвердить можно только отправленное на проверку значение.")
        if self.value is None:
            raise ValidationError("Утвердить можно только заполненное значение.")
        if user is not None and self.entered_by_id is not None and self.entered_by_id == user.pk:
            raise ValidationError("Значение утверждает не тот, кто его внёс.")
        self.status = self.Status.APPROVED
        self.approved_by = user
        self.approved_at = timezone.now()
        self.review_comment = comment

    def send_back(self, user, comment):
        """Return the value to the school with the reviewer's comment (вернуть на доработку).
        Does not save."""
        if not self.can_be_returned:
            raise ValidationError("Вернуть можно только отправленное или утверждённое значение.")
        if not comment.strip():
            raise ValidationError("Укажите, что нужно исправить.")
        self.status = self.Status.RETURNED
        self.review_comment = comment
        self.approved_by = None
        self.approved_at = None

    def clean(self):
        if (
            self.indicator_id
            and self.point_id
            and self.indicator.program_id != self.point.program_id
        ):
            raise ValidationError({"point": "Точка мониторинга из другой программы."})
        if self.indicator_id:
            try:
                self.indicator.check_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
