"""The values import as an `ImportFlow` (core/imports.py): its upload form, its subject (a
monitoring point) and its plan — what the pages and the worker that applies a large file share."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.imports import ImportFlow, ImportRefused
from core.xlsx import UploadForm
from programs.models import Program

from .imports import plan_values_import
from .setup_forms import ValuesUploadForm


class ValuesImportForm(ValuesUploadForm, UploadForm):
    field_order = ["point", "file"]


class ValuesImport(ImportFlow):
    kind = "values"
    upload_template = "monitoring/import/upload.html"
    preview_template = "monitoring/import/preview.html"
    job_template = "monitoring/import/job.html"
    task = "monitoring.tasks.import_values"

    def __init__(self, request=None, pk=None, *, user=None):
        super().__init__(request, user=user)
        self.program = Program.objects.set_up_by(self.user, pk)

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
