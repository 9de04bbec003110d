"""Pages of the import of indicator values: upload → preview → confirm (monitoring/imports.py and
the flow in core/imports.py). Only the program's coordinators (`Program.objects.editable_by`)
may import."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.formtools import id_param
from core.imports import ImportFlow, ImportRefused
from core.xlsx import UploadForm, workbook_response
from programs.setup_views import editable_program

from .imports import plan_values_import, values_template
from .setup_forms import ValuesUploadForm


class ValuesImportForm(ValuesUploadForm, UploadForm):
    field_order = ["point", "file"]


class ValuesImport(ImportFlow):
    kind = "values"
    upload_template = "monitoring/import/upload.html"
    preview_template = "monitoring/import/preview.html"

    def __init__(self, request, pk):
        super().__init__(request)
        self.program = editable_program(request, pk)

    def form(self, data=None, files=None, **kwargs):
        return ValuesImportForm(data, files, program=self.program, **kwargs)

    def preview_form(self, subject):
        return self.form(initial={"point": subject})

    def subject(self, form):
        point = form.cleaned_data["point"]
        return point, {"point": point.pk}

    def subject_again(self, params):
        point = get_object_or_404(self.program.points.all(), pk=params["point"])
        # The point may have been locked since the preview: the form's own check says so.
        form = ValuesImportForm({"point": point.pk}, program=self.program)
        form.fields.pop("file")
        if not form.is_valid():
            raise ImportRefused(" ".join(form.errors.get("point", [])))
        return point

    def plan(self, content, subject):
        return plan_values_import(content, subject, self.request.user)

    def done(self, summary, subject):
        text = "Значения загружены: новых — {created}, изменено — {updated}.".format(**summary)
        return text, subject.get_absolute_url()

    def upload_url(self):
        return reverse("monitoring:import_values", args=[self.program.pk])

    def context(self, **extra):
        return {"program": self.program, **extra}


def import_values(request, pk):
    return ValuesImport(request, pk).upload()


@require_POST
def import_values_confirm(request, pk):
    return ValuesImport(request, pk).confirm()


def import_values_template(request, pk):
    program = editable_program(request, pk)
    point = get_object_or_404(program.points.all(), pk=id_param(request.GET.get("point")) or 0)
    return workbook_response(values_template(point, request.user), f"Значения — {point.title}.xlsx")
