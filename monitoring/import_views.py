"""Pages of the import of indicator values: upload → preview → confirm, and the page of an import
applied in the background (monitoring/imports.py, monitoring/tasks.py and the flow in
core/imports.py). Only the program's coordinators (`Program.objects.editable_by`) may import."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.formtools import id_param
from core.imports import ImportFlow, ImportRefused
from core.xlsx import UploadForm, workbook_response
from programs.setup_views import editable_program, program_set_up_by

from . import results
from .imports import plan_values_import, values_template
from .setup_forms import ValuesUploadForm
from .tasks import import_values as import_values_task


class ValuesImportForm(ValuesUploadForm, UploadForm):
    field_order = ["point", "file"]


class ValuesImport(ImportFlow):
    kind = "values"
    upload_template = "monitoring/import/upload.html"
    preview_template = "monitoring/import/preview.html"
    job_template = "monitoring/import/job.html"
    task = import_values_task

    def __init__(self, request=None, pk=None, *, user=None):
        super().__init__(request, user=user)
        self.program = program_set_up_by(self.user, pk)

    @classmethod
    def for_job(cls, job):
        return cls(pk=job.params["program"], user=job.requested_by)

    def job_params(self):
        return {"program": self.program.pk}

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
        return plan_values_import(content, subject, self.user)

    def summary_text(self, summary):
        return "Значения загружены: новых — {created}, изменено — {updated}, без изменений — {unchanged}.".format(
            **summary
        )

    def done(self, summary, subject):
        return self.summary_text(summary), subject.get_absolute_url()

    def job_title(self, subject):
        return f"Значения: {self.program.short_title or self.program.title}, {subject.title}"

    def job_url(self, job):
        return reverse("monitoring:import_values_job", args=[self.program.pk, job.pk])

    def upload_url(self):
        return reverse("monitoring:import_values", args=[self.program.pk])

    def context(self, **extra):
        return {"program": self.program, **extra}


def import_values(request, pk):
    return ValuesImport(request, pk).upload()


@require_POST
def import_values_confirm(request, pk):
    return ValuesImport(request, pk).confirm()


@require_safe
def import_values_job(request, pk, job_id):
    return ValuesImport(request, pk).job_page(job_id)


def import_values_template(request, pk):
    program = editable_program(request, pk)
    point = get_object_or_404(program.points.all(), pk=id_param(request.GET.get("point")) or 0)
    return workbook_response(values_template(point, request.user), f"Значения — {point.title}.xlsx")


def results_template(request):
    """The template of a table of assessment results, for anyone signed in: it holds no data."""
    return workbook_response(results.results_template(), "Результаты оценочных процедур.xlsx")
