"""The values import and the results import as `ImportFlow`s (core/imports.py): their upload
forms, their subject (a monitoring point) and their plans — what the pages and the worker that
applies a large file share."""

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core import imports as core_imports
from core.access import visible_or_404
from core.imports import ImportFlow, ImportRefused
from core.models import ImportJob
from core.requests import read_ids
from core.xlsx import MAX_IMPORT_MB, ImportFileError, RowError, UploadForm, normalize
from programs.models import Program

from .imports import plan_values_import
from .models import MonitoringPoint
from .results import read_results
from .results_import import apply_results, plan_results
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


# --- Assessment results (monitoring/results.py, monitoring/results_import.py) -------------------

NO_RESULTS_INDICATORS = (
    "В программе нет показателей из результатов оценочных процедур: укажите у показателя "
    "процедуру, предметы, классы и меру, затем загрузите таблицу снова."
)
POINT_LOCKED = "Точка мониторинга закрыта: значения не принимаются."


class ResultsUploadForm(UploadForm):
    """A results table as the region's systems give it: a workbook or a .csv export."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Таблица результатов (.xlsx или .csv)"
        self.fields[
            "file"
        ].help_text = f"Строка на школу, предмет и класс; не больше {MAX_IMPORT_MB} МБ"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise ValidationError("Нужна таблица Excel (.xlsx) или текстовая таблица (.csv).")
        if upload.size > MAX_IMPORT_MB * 1024 * 1024:
            raise ValidationError(f"Файл больше {MAX_IMPORT_MB} МБ.")
        return upload


@dataclass(frozen=True)
class ResultsFile:
    """What a results import is about: the point, and the file's name (it says whether the
    table is a workbook or a .csv, and names the values' source)."""

    point: MonitoringPoint
    filename: str

    def __str__(self):
        return self.point.title


class ResultsImportPlan:
    """A `ResultsPlan` as `core.imports` applies it, with the person's ticks: approved values
    to replace (their keys) and name matches accepted (the schools' ids). Rows that cannot be
    read and schools not found are shown, not written: they do not stop the rest."""

    def __init__(self, plan, table, ticks=None):
        self.plan = plan
        self.table = table
        ticks = ticks or {}
        # «All» ticks stand for every box of their kind: a form of thousands of boxes would
        # pass Django's bound of fields in a request.
        self.replace = (
            {v.key for v in plan.values}
            if ticks.get("replace_all")
            else set(ticks.get("replace", ()))
        )
        self.accept = (
            {school.pk for school in plan.name_matched}
            if ticks.get("accept_all")
            else set(ticks.get("accept", ()))
        )

    @property
    def proposed(self):
        """Every value the file brings that would change something, ticked or not."""
        return [v for v in self.plan.values if v.action != "same"]

    @property
    def shown_values(self):
        """The values the preview lists: those waiting for a tick (approved ones to replace)
        and name matches first, at most `core.imports.PREVIEW_ROWS`."""
        attention = sorted(
            self.plan.values, key=lambda v: (v.action != "replace", v.matched_by != "name")
        )
        return attention[: core_imports.PREVIEW_ROWS]

    @property
    def hidden_values(self):
        return max(len(self.plan.values) - core_imports.PREVIEW_ROWS, 0)

    @property
    def shown_unmatched(self):
        return self.plan.unmatched[: core_imports.PREVIEW_ROWS]

    @property
    def shown_errors(self):
        return self.plan.errors[: core_imports.PREVIEW_ROWS]

    @property
    def replaceable(self):
        """How many approved values the file would change, each only when ticked."""
        return sum(1 for v in self.plan.values if v.action == "replace")

    @property
    def errors(self):
        """What stops a confirmation: only that nothing could be written."""
        if self.proposed:
            return []
        return [RowError(0, "", "Из таблицы не вычислено ни одного нового значения.")]

    @property
    def is_valid(self):
        return bool(self.proposed)

    @property
    def size(self):
        return len(self.proposed)

    @property
    def unknown_subjects(self):
        """Subjects of the table no indicator of the program takes (a misspelt subject)."""
        if any(not indicator.subjects for indicator in self.plan.indicators):
            return []
        taken = {normalize(s) for i in self.plan.indicators for s in i.subjects}
        return sorted({r.subject for r in self.table.rows if normalize(r.subject) not in taken})

    def apply(self, user):
        try:
            written = apply_results(self.plan, user, replace=self.replace, accept=self.accept)
        except PermissionDenied as error:
            # Rights lost since the preview (or a school out of reach): nothing is written.
            raise ImportRefused(f"{error} Ничего не сохранено.") from error
        return {"written": written}


class ResultsImport(ImportFlow):
    """The results import at one monitoring point, for whoever may import values there: the
    program's coordinators (`Program.objects.set_up_by`: 404 outside their reach, 403 inside
    it without the right)."""

    kind = "results"
    upload_template = "monitoring/results/upload.html"
    preview_template = "monitoring/results/preview.html"
    job_template = "monitoring/results/job.html"
    task = "monitoring.tasks.import_results"

    def __init__(self, request=None, pk=None, *, user=None, ticks=None):
        super().__init__(request, user=user)
        self.point = visible_or_404(
            MonitoringPoint.objects.select_related("program"), self.user, pk=pk
        )
        self.program = Program.objects.set_up_by(self.user, self.point.program_id)
        if ticks is None and request is not None and request.method == "POST":
            ticks = {
                # Keys of values, compared with the plan's own: what names nothing is ignored.
                "replace": [v[:100] for v in request.POST.getlist("replace")],
                "accept": read_ids(request.POST, "accept"),
                "replace_all": request.POST.get("replace_all") == "1",
                "accept_all": request.POST.get("accept_all") == "1",
            }
        ticks = ticks or {}
        # What the person ticked in the preview, kept with a job the worker applies.
        self.ticks = {
            "replace": sorted(set(ticks.get("replace", ()))),
            "accept": sorted(set(ticks.get("accept", ()))),
            "replace_all": bool(ticks.get("replace_all")),
            "accept_all": bool(ticks.get("accept_all")),
        }

    @classmethod
    def for_job(cls, job):
        return cls(pk=job.params["point"], user=job.requested_by, ticks=job.params)

    def job_params(self):
        return {"point": self.point.pk, **self.ticks}

    def jobs(self):
        """This person's results imports at this point (whatever they ticked)."""
        return ImportJob.objects.visible_to(self.user).filter(
            kind=self.kind, params__point=self.point.pk
        )

    def form(self, data=None, files=None, **kwargs):
        return ResultsUploadForm(data, files, **kwargs)

    def subject(self, form):
        filename = Path(form.cleaned_data["file"].name).name[:200]
        return ResultsFile(self.point, filename), {"point": self.point.pk, "filename": filename}

    def subject_again(self, params):
        if int(params["point"]) != self.point.pk:
            raise ImportRefused("Файл проверен для другой точки мониторинга. Загрузите его снова.")
        if self.point.locked:
            raise ImportRefused(POINT_LOCKED)
        return ResultsFile(self.point, params.get("filename", ""))

    def plan(self, content, subject):
        if self.point.locked:
            raise ImportFileError(POINT_LOCKED)
        table = read_results(content, subject.filename)
        plan = plan_results(
            table, program=self.program, point=self.point, user=self.user, filename=subject.filename
        )
        if not plan.indicators:
            raise ImportFileError(NO_RESULTS_INDICATORS)
        return ResultsImportPlan(plan, table, self.ticks)

    def summary_text(self, summary):
        return "Результаты загружены: записано значений — {written}.".format(**summary)

    def done(self, summary, subject):
        return self.summary_text(summary), self.point.get_absolute_url()

    def job_title(self, subject):
        return f"Результаты: {self.point.title}, {subject.filename}"

    def job_url(self, job):
        return reverse("monitoring:import_results_job", args=[self.point.pk, job.pk])

    def upload_url(self):
        return reverse("monitoring:import_results", args=[self.point.pk])

    def context(self, **extra):
        return {"program": self.program, "point": self.point, **extra}
