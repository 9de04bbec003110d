"""The data version of each program: what derived figures are cached under."""

from django.db import models


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
