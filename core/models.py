"""The data version of each program: what derived figures are cached under; and the confirmed
Excel imports (`ImportJob`), each applied once, in the request or by a worker."""

import uuid

from django.db import models

from .background import BackgroundWork, BackgroundWorkQuerySet


class DataChange(models.Model):
    """One change of the data of a program (`key` «program:<id>»), or of data every program reads
    («all»: organizations, territories). The latest id of a key is the version of that data;
    figures computed from it are cached under it (dashboards/cache.py). Rows are only ever added,
    so concurrent writers never wait for each other; `prune` keeps the latest of each key."""

    key = models.CharField("что", max_length=40)
    changed_at = models.DateTimeField("изменено", auto_now_add=True)

    class Meta:
        verbose_name = "изменение данных"
        verbose_name_plural = "изменения данных"
        indexes = [models.Index(fields=["key", "-id"], name="data_change_latest")]

    def __str__(self):
        return f"{self.key} #{self.pk}"

    @classmethod
    def prune(cls):
        """Delete every change but the latest of each key; returns how many."""
        latest = (
            cls.objects.values("key").annotate(last=models.Max("id")).values_list("last", flat=True)
        )
        deleted, _ = cls.objects.exclude(pk__in=list(latest)).delete()
        return deleted


class ImportJobQuerySet(BackgroundWorkQuerySet):
    def visible_to(self, user):
        """An import is applied with the rights of the person who confirmed it, and its page is
        theirs alone; the import's pages check its subject against the same person too."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class ImportJob(BackgroundWork):
    """One confirmed Excel import (`kind`: values, schools) of one uploaded file. The row claims
    the file's confirmation `token`, so a file confirmed twice — a second click, two tabs — is
    imported once. A file of more than `IMPORT_BACKGROUND_ROWS` rows to write is applied by a
    worker: the row keeps the file (`content`) until then, the subject it is about (`params`,
    as the import's pages find it) and, once done, what was written (`summary`) or, if the data
    changed meanwhile, the file's wrong rows (`errors`). Smaller files are applied in the
    request, and their row records the result at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.SlugField("вид загрузки", max_length=20)
    token = models.CharField("подтверждение", max_length=64, unique=True)
    title = models.CharField("что загружается", max_length=300, blank=True)
    params = models.JSONField("предмет загрузки", default=dict, blank=True)
    rows = models.PositiveIntegerField("строк к записи", default=0)
    content = models.BinaryField("файл", blank=True, default=b"")
    summary = models.JSONField("итог", default=dict, blank=True)
    errors = models.JSONField("ошибки в строках", default=list, blank=True)

    STALE_MESSAGE = "Обработка прервана: ничего из файла не записано, загрузите его ещё раз."

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "загрузка из Excel"
        verbose_name_plural = "загрузки из Excel"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "kind"], name="import_job_lookup")]

    def __str__(self):
        return self.title or f"{self.kind} {self.created_at:%d.%m.%Y %H:%M}"

    def succeed(self, **fields):
        # The file is not needed once it is written.
        super().succeed(content=b"", **fields)

    def fail(self, message, errors=()):
        """Mark the import failed with a message a person can act on, and the file's wrong rows
        if the data changed meanwhile; nothing of the file was written."""
        super().fail(message)
        self.content, self.errors = (
            b"",
            [{"row": e.row, "column": e.column, "message": e.message} for e in errors],
        )
        type(self).objects.filter(pk=self.pk).update(content=self.content, errors=self.errors)


class Lock(models.Model):
    """A named lock shared by every machine through the database: held until `held_until` by
    `holder`, so a holder that died lets go by itself once its time runs out
    (`core.periodic.exclusive`)."""

    name = models.CharField("что", max_length=100, primary_key=True)
    holder = models.CharField("кем занято", max_length=64, blank=True)
    held_until = models.DateTimeField("занято до", null=True, blank=True)

    class Meta:
        verbose_name = "блокировка"
        verbose_name_plural = "блокировки"

    def __str__(self):
        return self.name


class PeriodicRun(models.Model):
    """Where a periodic job declared in `PERIODIC_TASKS` stands: the one run the queue holds for
    it (`due_at`; a run due at another time is a stray and does nothing) and how its last round
    went (`core.periodic`)."""

    name = models.CharField("работа", max_length=100, primary_key=True)
    due_at = models.DateTimeField("следующий запуск", null=True, blank=True)
    started_at = models.DateTimeField("последний запуск", null=True, blank=True)
    finished_at = models.DateTimeField("последнее завершение", null=True, blank=True)
    error = models.TextField("ошибка последнего запуска", blank=True)

    class Meta:
        verbose_name = "периодическая работа"
        verbose_name_plural = "периодические работы"

    def __str__(self):
        return self.name
