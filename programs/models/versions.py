"""The stored versions of a document's file."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .documents import Document


class DocumentVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A version is seen by whoever sees its document."""
        return self.filter(document__in=Document.objects.visible_to(user))


class DocumentVersion(models.Model):
    """One uploaded file of a document; earlier versions are kept."""

    document = models.ForeignKey(
        Document, models.CASCADE, related_name="versions", verbose_name="документ"
    )
    number = models.PositiveIntegerField("версия")
    file = models.FileField("файл", upload_to="documents/versions/%Y/")
    original_name = models.CharField("имя файла", max_length=300)
    size = models.PositiveIntegerField("размер, байт", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)
    comment = models.CharField("комментарий", max_length=500, blank=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "версия документа"
        verbose_name_plural = "версии документов"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="documentversion_unique_number",
                violation_error_message="Такая версия документа уже есть.",
            ),
        ]

    def __str__(self):
        return f"{self.document}, версия {self.number}"
