"""Reviews of documents by assigned experts."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from schools.models import Organization


class Review(models.Model):
    """A review of a document (экспертиза, взаимоэкспертиза) by an assigned expert."""

    class Verdict(models.TextChoices):
        PENDING = "pending", "ожидает экспертизы"
        APPROVED = "approved", "соответствует"
        NEEDS_REVISION = "needs_revision", "требует доработки"

    # By name: `Document`'s querysets ask its reviews, so the two modules cannot import each other.
    document = models.ForeignKey(
        "programs.Document", models.CASCADE, related_name="reviews", verbose_name="документ"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="reviews",
        verbose_name="эксперт",
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="организация эксперта",
        help_text="Для взаимоэкспертизы — школа, которая проводит экспертизу",
    )
    verdict = models.CharField(
        "заключение", max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("назначена", default=timezone.now)
    decided_at = models.DateTimeField("дата заключения", null=True, blank=True)
    by_checklist = models.BooleanField(
        "по экспертному листу",
        default=False,
        help_text="Эксперт заполняет лист критериев; решение по документу — по всем листам",
    )

    class Meta:
        verbose_name = "экспертиза"
        verbose_name_plural = "экспертизы"
        ordering = ["document", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "reviewer"],
                name="review_unique_reviewer",
                violation_error_message="Этот эксперт уже назначен на документ.",
            ),
        ]

    def __str__(self):
        return f"{self.document}: {self.get_verdict_display()}"
