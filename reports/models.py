"""Report files made in the background: a report too large to make inside a request."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from core.background import BackgroundWork, BackgroundWorkQuerySet


class ReportFileQuerySet(BackgroundWorkQuerySet):
    def visible_to(self, user):
        """A file is made with the reach of the person who asked for it, so it is theirs alone;
        the views check the report's subject against the same person on every visit too."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)

    def live(self):
        """Files that have not expired (the waiting ones included)."""
        return self.filter(expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


def report_upload_to(instance, filename):
    return f"reports/{instance.created_at:%Y/%m}/{instance.pk}/{filename}"


def default_expiry():
    return timezone.now() + timedelta(hours=settings.REPORT_FILE_HOURS)


class ReportFile(BackgroundWork):
    """The PDF or workbook of one report about one subject (`kind` and `subject_id`, as in the
    report's URL; `params` its period), made in the background for the person who asked. It is
    kept until `expires_at`, then `prune_report_files` removes the row and the file."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.SlugField("вид отчёта", max_length=40)
    subject_id = models.PositiveBigIntegerField("предмет отчёта (id)")
    params = models.JSONField("параметры", default=dict, blank=True)
    fmt = models.CharField("формат", max_length=4, choices=Format.choices)
    title = models.CharField("название", max_length=300, blank=True)
    file = models.FileField("файл", upload_to=report_upload_to, blank=True, max_length=400)
    expires_at = models.DateTimeField("хранится до", default=default_expiry)

    STALE_MESSAGE = "Обработка прервана, запросите отчёт ещё раз."

    objects = ReportFileQuerySet.as_manager()

    class Meta:
        verbose_name = "файл отчёта"
        verbose_name_plural = "файлы отчётов"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["requested_by", "kind", "subject_id", "fmt"], name="report_file_lookup"
            )
        ]

    def __str__(self):
        return self.title or f"{self.kind} #{self.subject_id} ({self.fmt})"

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    def store(self, title, name, content):
        """Save the made file and mark the work ready."""
        self.succeed(title=title, file=ContentFile(content, name=f"{name}.{self.fmt}"))

    def delete(self, *args, **kwargs):
        # The file goes with its row: nothing is left on disk that no page can reach.
        if self.file:
            self.file.delete(save=False)
        return super().delete(*args, **kwargs)
