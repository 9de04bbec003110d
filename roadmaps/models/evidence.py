"""Progress reports on items with their evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.access import access_rule, any_of, reach
from schools.models import Organization

from .items import RoadmapItem
from .roadmaps import Roadmap


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.report.item_id}/{filename}"


class ItemReport(models.Model):
    """A progress report on an item (отчёт об исполнении): the status it sets and what was done."""

    item = models.ForeignKey(
        RoadmapItem, models.CASCADE, related_name="reports", verbose_name="пункт дорожной карты"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="item_reports",
        verbose_name="автор",
    )
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="item_reports",
        verbose_name="от организации",
    )
    created_at = models.DateTimeField("дата", default=timezone.now)
    status = models.CharField("состояние", max_length=16, choices=RoadmapItem.Status.choices)
    text = models.TextField("что сделано", blank=True)

    class Meta:
        verbose_name = "отчёт об исполнении"
        verbose_name_plural = "отчёты об исполнении"
        ordering = ["item", "-created_at"]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()}"


class EvidenceQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Evidence is seen by whoever sees its item, except that what a school attached to an
        item of a program-wide or municipal roadmap (which every school of the program sees)
        stays the school's: those who see that school fetch it — its staff, its curators, the
        staff of its territory. Evidence from an authority or a methodical centre is the
        program's material, for everyone who sees the item."""
        r = reach(user)
        shared = Q(
            report__item__roadmap__level__in=[Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL]
        )
        return self.filter(report__item__in=RoadmapItem.objects.visible_to(user)).filter(
            any_of(
                ~shared,
                Q(report__organization__isnull=True),
                ~Q(report__organization__kind=Organization.Kind.SCHOOL),
                r.sees_organization("report__organization"),
            )
        )


class Evidence(models.Model):
    """A file that proves an item was done (подтверждающий документ)."""

    report = models.ForeignKey(
        ItemReport, models.CASCADE, related_name="evidence", verbose_name="отчёт"
    )
    file = models.FileField("файл", upload_to=evidence_upload_to)
    original_name = models.CharField("имя файла", max_length=300)
    size = models.PositiveIntegerField("размер, байт", default=0)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["report", "pk"]

    def __str__(self):
        return self.original_name
