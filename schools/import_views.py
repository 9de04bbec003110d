"""Pages of the school import: upload → preview → confirm (see schools/imports.py and the
flow in core/imports.py)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.formtools import id_param
from core.imports import ImportFlow
from core.xlsx import UploadForm, workbook_response

from .imports import CATEGORY_HINT, COLUMNS, plan_school_import, school_template
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

    def __init__(self, request):
        super().__init__(request)
        self.regions = _regions_or_403(request.user)

    def form(self, data=None, files=None, **kwargs):
        return SchoolUploadForm(data, files, user=self.request.user, **kwargs)

    def subject(self, form):
        region = form.cleaned_data["region"]
        return region, {"region": region.pk}

    def subject_again(self, params):
        region = self.regions.filter(pk=params["region"]).first()
        if region is None:
            raise PermissionDenied("Регион вне вашей территории.")
        return region

    def plan(self, content, subject):
        return plan_school_import(content, subject, self.request.user)

    def done(self, summary, subject):
        text = (
            "Загрузка завершена: школ создано — {created}, изменено — {updated}, "
            "статусов добавлено — {statuses}.".format(**summary)
        )
        return text, reverse("schools:list")

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


def school_import_template(request):
    regions = _regions_or_403(request.user)
    region = regions.filter(pk=id_param(request.GET.get("region")) or 0).first() or regions.first()
    return workbook_response(school_template(region, request.user), "Шаблон загрузки школ.xlsx")
