"""The school import as an `ImportFlow` (core/imports.py): its upload form, its subject (a region)
and its plan — what the pages and the worker that applies a large file share."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.imports import ImportFlow
from core.xlsx import UploadForm

from .imports import CATEGORY_HINT, COLUMNS, plan_school_import
from .models import Region


class SchoolUploadForm(UploadForm):
    region = forms.ModelChoiceField(
        label="Регион",
        queryset=Region.objects.none(),
        error_messages={"invalid_choice": "Выберите регион из списка: этот вне вашей территории."},
    )
    field_order = ["region", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.covered_by(user, coordinator=True)
        self.fields["region"].queryset = regions
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]


def _regions_or_403(user):
    regions = Region.objects.covered_by(user, coordinator=True)
    if not regions.exists():
        raise PermissionDenied("Загружать школы могут координаторы территории.")
    return regions


class SchoolImport(ImportFlow):
    kind = "schools"
    upload_template = "schools/import/upload.html"
    preview_template = "schools/import/preview.html"
    job_template = "schools/import/job.html"
    task = "schools.tasks.import_schools"

    def __init__(self, request=None, *, user=None):
        super().__init__(request, user=user)
        self.regions = _regions_or_403(self.user)

    @classmethod
    def for_job(cls, job):
        return cls(user=job.requested_by)

    def form(self, data=None, files=None, **kwargs):
        return SchoolUploadForm(data, files, user=self.user, **kwargs)

    def subject(self, form):
        region = form.cleaned_data["region"]
        return region, {"region": region.pk}

    def subject_again(self, params):
        region = self.regions.filter(pk=params["region"]).first()
        if region is None:
            raise PermissionDenied("Регион вне вашей территории.")
        return region

    def plan(self, content, subject):
        return plan_school_import(content, subject, self.user)

    def summary_text(self, summary):
        return (
            "Загрузка завершена: школ создано — {created}, изменено — {updated}, "
            "без изменений — {unchanged}, статусов добавлено — {statuses}.".format(**summary)
        )

    def done(self, summary, subject):
        return self.summary_text(summary), reverse("schools:list")

    def job_title(self, subject):
        return f"Школы: {subject}"

    def job_url(self, job):
        return reverse("schools:import_job", args=[job.pk])

    def upload_url(self):
        return reverse("schools:import")

    def context(self, **extra):
        return {"columns": COLUMNS, "categories": CATEGORY_HINT, **extra}
