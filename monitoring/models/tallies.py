"""The running count of each school's sent values at each point, kept by the database."""

from django.db import models
from django.db.models import Q

from schools.models import Organization


class SheetTally(models.Model):
    """How far a school's sheet (лист ввода) at a point is sent: of the values of the sheet's
    indicators (`MonitoringPoint.sheet_indicators`: entered, school-level, of the point's
    program), how many the school has sent — waiting for a verdict or approved
    (`Measurement.SENT`). What `MonitoringPoint.complete_schools` and the dashboard's
    completeness read, instead of grouping every value of a national point by school.

    Nobody writes these rows but the database: triggers on the values, the indicators and the
    points (monitoring/migrations/0006_sheet_tally.py) change them in the transaction that
    changes what they count, whatever wrote it — a save, `bulk_create`, a queryset's `update`,
    the import's set-based writes, `delete_values`, a cascade. A row at zero is a school whose
    sent values were all returned or deleted."""

    point = models.ForeignKey(
        "monitoring.MonitoringPoint",
        models.CASCADE,
        related_name="sheet_tallies",
        # The unique pair and the index below both begin with the point.
        db_index=False,
        verbose_name="точка мониторинга",
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="+", verbose_name="организация"
    )
    sent = models.IntegerField("отправлено значений", default=0)

    class Meta:
        verbose_name = "итог листа ввода"
        verbose_name_plural = "итоги листов ввода"
        constraints = [
            models.UniqueConstraint(fields=["point", "organization"], name="sheettally_unique"),
            models.CheckConstraint(condition=Q(sent__gte=0), name="sheettally_sent_not_negative"),
        ]
        # `point = X AND sent >= N` (the complete sheets), answered from the index alone.
        indexes = [
            models.Index(fields=["point", "sent", "organization"], name="sheettally_point_sent")
        ]

    def __str__(self):
        return f"{self.point_id} / {self.organization_id}: {self.sent}"
