"""Pages of the school import: upload → preview → confirm (see schools/imports.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.xlsx import ImportFileError, UploadForm, forget, stash, unstash, workbook_response

from .imports import CATEGORY_HINT, COLUMNS, plan_school_import, school_template
from .models import Region

KIND = "schools"


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


def school_import(request):
    """Upload a filled template; the answer is the preview of what it would do."""
    _regions_or_403(request.user)
    form = SchoolUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        region = form.cleaned_data["region"]
        try:
            plan = plan_school_import(content, region, request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = stash(request, KIND, content, {"region": region.pk}) if plan.is_valid else None
            return render(
                request,
                "schools/import/preview.html",
                {"plan": plan, "token": token, "form": SchoolUploadForm(user=request.user)},
            )
    return render(
        request,
        "schools/import/upload.html",
        {"form": form, "columns": COLUMNS, "categories": CATEGORY_HINT},
    )


@require_POST
def school_import_confirm(request):
    """Apply a previewed file: read and checked again, saved whole or not at all."""
    regions = _regions_or_403(request.user)
    token = request.POST.get("token")
    kept = unstash(request, KIND, token)
    if kept is None:
        messages.error(
            request, "Файл для загрузки не найден или уже загружен. Загрузите его снова."
        )
        return redirect("schools:import")
    content, params = kept
    region = regions.filter(pk=params["region"]).first()
    if region is None:
        raise PermissionDenied("Регион вне вашей территории.")
    try:
        plan = plan_school_import(content, region, request.user)
    except ImportFileError as error:
        forget(request, token)
        messages.error(request, str(error))
        return redirect("schools:import")
    if not plan.is_valid:
        messages.error(
            request, "Данные изменились после проверки: исправьте ошибки и загрузите файл снова."
        )
        return render(
            request,
            "schools/import/preview.html",
            {"plan": plan, "token": None, "form": SchoolUploadForm(user=request.user)},
        )
    summary = plan.apply(request.user)
    forget(request, token)
    messages.success(
        request,
        "Загрузка завершена: школ создано — {created}, изменено — {updated}, "
        "статусов добавлено — {statuses}.".format(**summary),
    )
    return redirect("schools:list")


def school_import_template(request):
    regions = _regions_or_403(request.user)
    region = regions.filter(pk=request.GET.get("region") or 0).first() or regions.first()
    return workbook_response(school_template(region, request.user), "Шаблон загрузки школ.xlsx")
