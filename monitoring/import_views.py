"""Pages of the import of indicator values: upload → preview → confirm (monitoring/imports.py).
Only the program's coordinators (`Program.objects.editable_by`) may import."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.xlsx import ImportFileError, UploadForm, forget, stash, unstash, workbook_response
from programs.setup_views import editable_program

from .imports import plan_values_import, values_template
from .setup_forms import ValuesUploadForm

KIND = "values"


class ValuesImportForm(ValuesUploadForm, UploadForm):
    field_order = ["point", "file"]


def import_values(request, pk):
    program = editable_program(request, pk)
    form = ValuesImportForm(request.POST or None, request.FILES or None, program=program)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        point = form.cleaned_data["point"]
        try:
            plan = plan_values_import(content, point, request.user)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = stash(request, KIND, content, {"point": point.pk}) if plan.is_valid else None
            return render(
                request,
                "monitoring/import/preview.html",
                {
                    "program": program,
                    "plan": plan,
                    "token": token,
                    "form": ValuesImportForm(program=program, initial={"point": point}),
                },
            )
    return render(request, "monitoring/import/upload.html", {"program": program, "form": form})


@require_POST
def import_values_confirm(request, pk):
    program = editable_program(request, pk)
    token = request.POST.get("token")
    kept = unstash(request, KIND, token)
    if kept is None:
        messages.error(
            request, "Файл для загрузки не найден или уже загружен. Загрузите его снова."
        )
        return redirect("monitoring:import_values", pk=program.pk)
    content, params = kept
    point = get_object_or_404(program.points.all(), pk=params["point"])
    form = ValuesImportForm({"point": point.pk}, program=program)
    form.fields.pop("file")
    if not form.is_valid():
        forget(request, token)
        messages.error(request, " ".join(form.errors.get("point", [])))
        return redirect("monitoring:import_values", pk=program.pk)
    try:
        plan = plan_values_import(content, point, request.user)
    except ImportFileError as error:
        forget(request, token)
        messages.error(request, str(error))
        return redirect("monitoring:import_values", pk=program.pk)
    if not plan.is_valid:
        messages.error(
            request, "Данные изменились после проверки: исправьте ошибки и загрузите файл снова."
        )
        return render(
            request,
            "monitoring/import/preview.html",
            {
                "program": program,
                "plan": plan,
                "token": None,
                "form": ValuesImportForm(program=program, initial={"point": point}),
            },
        )
    summary = plan.apply(request.user)
    forget(request, token)
    messages.success(
        request,
        "Значения загружены: новых — {created}, изменено — {updated}.".format(**summary),
    )
    return redirect("monitoring:point", pk=point.pk)


def import_values_template(request, pk):
    program = editable_program(request, pk)
    point = get_object_or_404(program.points.all(), pk=request.GET.get("point") or 0)
    return workbook_response(values_template(point, request.user), f"Значения — {point.title}.xlsx")
