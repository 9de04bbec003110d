"""Pages of the school import: upload → preview → confirm, and the page of an import applied in
the background (see schools/imports.py, schools/tasks.py and the flow in core/imports.py)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.imports import ImportFlow
from core.requests import read_id
from core.xlsx import UploadForm, workbook_response

from .imports import CATEGORY_HINT, COLUMNS, plan_school_import, school_template
from .models import Region
from .tasks import import_schools as import_schools_task


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
    task = import_schools_task

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


def school_import(request):
    """Upload a filled template; the answer is the preview of what it would do."""
    return SchoolImport(request).upload()


@require_POST
def school_import_confirm(request):
    """Apply a previewed file: read and checked again, saved whole or not at all."""
    return SchoolImport(request).confirm()


@require_safe
def school_import_job(request, job_id):
    """The progress of a confirmed import and then what it wrote, to whoever confirmed it."""
    return SchoolImport(request).job_page(job_id)


def school_import_template(request):
    regions = _regions_or_403(request.user)
    region = regions.filter(pk=read_id(request.GET, "region")).first() or regions.first()
    return workbook_response(school_template(region, request.user), "Шаблон загрузки школ.xlsx")
