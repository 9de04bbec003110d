"""The stored forecasts: one row per school and indicator, written by the task that recomputes
a program's forecasts (forecasts/tasks.py) and only read by the pages, the note and the digest."""

from django.db import models
from django.db.models import Q

from core.access import access_rule
from monitoring.models import Indicator, MonitoringPoint
from programs.models import Program
from schools.models import Organization

# A forecast whose chance of missing the target (at the next point or the final one) is at least
# this is «at risk». The bench measures precision and recall at the same threshold.
AT_RISK = 0.5


class SchoolRowQuerySet(models.QuerySet):
    """Rows about one school in one program: forecasts and signals."""

    @access_rule
    def visible_to(self, user):
        """Rows of the schools the user sees, in programs they see: a forecast of a school is as
        open as the school itself (`Organization.objects.visible_to`)."""
        return self.filter(
            program__in=Program.objects.visible_to(user),
            school__in=Organization.objects.visible_to(user),
        )

    def in_scope(self, scope):
        """Rows of the schools that lie in a dashboard's scope (`dashboards.scope.Scope`)."""
        return self.filter(scope.organizations("school"))


class ForecastQuerySet(SchoolRowQuerySet):
    def at_risk(self):
        return self.filter(at_risk=True)


class Confidence(models.TextChoices):
    """How far a forecast can be trusted, said on every page that shows one."""

    LOW = "low", "низкая"
    MEDIUM = "medium", "средняя"
    HIGH = "high", "высокая"


class Forecast(models.Model):
    """A school's expected value of an indicator at the next monitoring point and at the final one,
    with an 80 % range and the chance of missing the target that applies there; `at_risk` when
    either chance is at least `AT_RISK`. `reasons` say in words why (the trend of the values)."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="forecasts", verbose_name="программа"
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="forecasts", verbose_name="показатель"
    )
    school = models.ForeignKey(
        Organization, models.CASCADE, related_name="forecasts", verbose_name="школа"
    )
    computed_at = models.DateTimeField("рассчитан")
    points_used = models.PositiveSmallIntegerField("точек со значениями")
    last_point = models.ForeignKey(
        MonitoringPoint, models.CASCADE, related_name="+", verbose_name="последняя точка"
    )
    last_value = models.DecimalField("последнее значение", max_digits=12, decimal_places=2)

    next_point = models.ForeignKey(
        MonitoringPoint,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="следующая точка",
    )
    next_value = models.DecimalField(
        "прогноз в следующей точке", max_digits=12, decimal_places=2, null=True, blank=True
    )
    next_low = models.DecimalField("от", max_digits=12, decimal_places=2, null=True, blank=True)
    next_high = models.DecimalField("до", max_digits=12, decimal_places=2, null=True, blank=True)
    next_target = models.CharField("цель в следующей точке", max_length=100, blank=True)
    p_miss_next = models.FloatField("вероятность не достичь цели в следующей точке", null=True)

    final_point = models.ForeignKey(
        MonitoringPoint,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="итоговая точка",
    )
    final_value = models.DecimalField(
        "прогноз в итоговой точке", max_digits=12, decimal_places=2, null=True, blank=True
    )
    final_low = models.DecimalField("от", max_digits=12, decimal_places=2, null=True, blank=True)
    final_high = models.DecimalField("до", max_digits=12, decimal_places=2, null=True, blank=True)
    final_target = models.CharField("цель в итоговой точке", max_length=100, blank=True)
    p_miss_final = models.FloatField("вероятность не достичь цели в итоговой точке", null=True)

    at_risk = models.BooleanField("риск недостижения цели", default=False)
    # When the school last became at risk on this indicator (kept while it stays so): the digest
    # names those that became at risk since its previous letter.
    at_risk_since = models.DateTimeField("в зоне риска с", null=True, blank=True)
    confidence = models.CharField(
        "надёжность прогноза", max_length=8, choices=Confidence.choices, default=Confidence.LOW
    )
    reasons = models.JSONField("причины", default=list, blank=True)

    objects = ForecastQuerySet.as_manager()

    class Meta:
        verbose_name = "прогноз"
        verbose_name_plural = "прогнозы"
        ordering = ["program", "school__short_name", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "school"],
                name="forecast_unique",
                violation_error_message="Прогноз этого показателя для этой школы уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(p_miss_next__isnull=True) | Q(p_miss_next__gte=0, p_miss_next__lte=1),
                name="forecast_p_miss_next_probability",
            ),
            models.CheckConstraint(
                condition=Q(p_miss_final__isnull=True)
                | Q(p_miss_final__gte=0, p_miss_final__lte=1),
                name="forecast_p_miss_final_probability",
            ),
            models.CheckConstraint(
                condition=Q(at_risk=False) | Q(at_risk_since__isnull=False),
                name="forecast_at_risk_has_since",
            ),
            models.CheckConstraint(
                condition=Q(points_used__gte=2), name="forecast_two_points_at_least"
            ),
        ]
        indexes = [models.Index(fields=["program", "at_risk"])]

    def __str__(self):
        return f"{self.school} — {self.indicator.code}"

    @property
    def p_miss(self):
        """The larger of the two chances of missing: what ranks schools at risk."""
        chances = [p for p in (self.p_miss_next, self.p_miss_final) if p is not None]
        return max(chances) if chances else None


class SchoolSignals(models.Model):
    """What a school's own work in a program says ahead of its values (leading signals), counted
    when its forecasts are: its part of the roadmap late, the program's events it was invited to
    and missed, values it sent after the point's deadline, how long the pair's curator has done
    nothing in the portal (item reports, document reviews, approvals — never sign-ins) and its
    factors assessed high that no roadmap item addresses. `reasons` say them in words."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="school_signals", verbose_name="программа"
    )
    school = models.ForeignKey(
        Organization, models.CASCADE, related_name="signals", verbose_name="школа"
    )
    computed_at = models.DateTimeField("рассчитано")
    items_total = models.PositiveIntegerField("мероприятий школы", default=0)
    items_late = models.PositiveIntegerField("из них просрочено", default=0)
    events_invited = models.PositiveIntegerField("приглашена на прошедшие события", default=0)
    events_missed = models.PositiveIntegerField("из них пропущено", default=0)
    values_late = models.PositiveIntegerField("значений отправлено после срока", default=0)
    curator_idle_weeks = models.PositiveIntegerField(
        "недель без активности куратора",
        null=True,
        blank=True,
        help_text="Пусто — у пары нет куратора с учётной записью",
    )
    high_risks_without_measures = models.PositiveIntegerField("высоких рисков без мер", default=0)
    reasons = models.JSONField("сигналы", default=list, blank=True)

    objects = SchoolRowQuerySet.as_manager()

    class Meta:
        verbose_name = "сигналы школы"
        verbose_name_plural = "сигналы школ"
        ordering = ["program", "school__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "school"],
                name="school_signals_unique",
                violation_error_message="Сигналы этой школы в этой программе уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(items_late__lte=models.F("items_total")),
                name="school_signals_late_of_total",
            ),
            models.CheckConstraint(
                condition=Q(events_missed__lte=models.F("events_invited")),
                name="school_signals_missed_of_invited",
            ),
        ]

    def __str__(self):
        return f"{self.school} — {self.program}"
