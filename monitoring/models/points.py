"""Monitoring points: the dates values are entered for."""

from datetime import datetime, time, timedelta

from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core import timezones
from core.expressions import PlusDays
from programs.models import Program
from schools.models import Organization

from .indicators import Indicator, ProgramScopedQuerySet


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
    # When the row last changed: the read API's `changed_since` (a queryset `.update()` of
    # these rows sets it itself).
    updated_at = models.DateTimeField("изменена", auto_now=True, db_index=True)

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

    @property
    def entry_cutoff(self):
        """The moment from which a value sent is late: the day after the point closes
        (`closes_on`), at midnight in the program region's time zone."""
        zone = timezones.tzinfo(self.program.timezone_name)
        return datetime.combine(self.closes_on + timedelta(days=1), time.min, tzinfo=zone)

    # A school's sheet at this point -------------------------------------------------------

    def sheet_indicators(self):
        """The indicators of a school's sheet at this point (лист ввода): those of the program
        each school enters itself — measured at each school and typed in, not computed by the
        portal. A value the program keeps as a whole does not take one off the sheet."""
        return Indicator.objects.filter(program_id=self.program_id).entered().of_schools()

    def sent_sheet_values(self):
        """Schools' values of the sheet's indicators that are sent: waiting for a verdict or
        approved (`Measurement.SENT`). Drafts and returned values are not sent."""
        return self.measurements.filter(
            organization__isnull=False,
            indicator__in=self.sheet_indicators(),
            status__in=self.measurements.model.SENT,
        )

    def late_sheet_values(self):
        """The sent sheet values sent late (from `entry_cutoff` on), or None while the cutoff is
        still ahead: a value is stamped when it is sent, so none sent so far can be late — and
        the values of an open point, thousands a deadline week, need not be read to know it."""
        cutoff = self.entry_cutoff
        if cutoff > timezone.now():
            return None
        return self.sent_sheet_values().filter(submitted_at__gte=cutoff)

    def complete_schools(self, expected=None):
        """The schools whose sheet at this point is complete, as a subquery of their ids: a
        school's sheet is complete when every school-level entered indicator
        (`sheet_indicators`) has a submitted or approved value. Where the schools enter nothing
        there is no sheet, and no school is complete (nor has not sent, `not_sent`). Every
        page, report and notice that says who has sent asks this, and nothing else.

        Read from the schools' tallies (`SheetTally`, the count of `sent_sheet_values` the
        database keeps per school), not by grouping the point's values. `expected`, the number
        of sheet indicators, when the caller has counted them already."""
        if expected is None:
            expected = self.sheet_indicators().count()
        if not expected:
            return self.sheet_tallies.none().values("organization")
        return self.sheet_tallies.filter(sent__gte=expected).values("organization")

    def sending_schools(self):
        """The schools that have sent at least one value of their sheet at this point
        (`sent_sheet_values`), as a subquery of their ids: complete or not."""
        return self.sheet_tallies.filter(sent__gt=0).values("organization")

    def not_sent(self, schools):
        """Of `schools` (organizations), those who have not sent all their values at this
        point: their sheet is not complete (`complete_schools`). None where there is no sheet."""
        if not self.sheet_indicators().exists():
            return schools.none()
        return schools.exclude(pk__in=self.complete_schools())

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
