"""Targets: the values an indicator should reach."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from core import numbers
from schools.models import Organization

from .indicators import Indicator
from .points import MonitoringPoint


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
