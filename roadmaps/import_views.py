"""Pages of the roadmap import from an order's table: upload → columns and preview → confirm
(the reading is roadmaps/importer/, the two-request flow core/imports.py). Only those who may
set up the program (`Program.objects.editable_by`) import, into a roadmap they may edit
(`Roadmap.objects.editable_by`) or a new program roadmap."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.imports import NOT_FOUND, ImportFlow, ImportRefused
from core.pickers import form_search_response
from core.xlsx import ImportFileError, stash, unstash
from programs.setup_views import editable_program

from .import_forms import ColumnsForm, RoadmapUploadForm, TableForm
from .importer import Meaning, guess_columns, plan_import, read_tables
from .models import Roadmap


@dataclass
class ImportTarget:
    """Where the items go: an existing roadmap, or a new one with this title; and the file."""

    roadmap: Roadmap | None
    title: str
    filename: str


class RoadmapImport(ImportFlow):
    kind = "roadmap"
    upload_template = "roadmaps/import/upload.html"
    preview_template = "roadmaps/import/preview.html"

    def __init__(self, request, pk):
        super().__init__(request)
        self.program = editable_program(request, pk)
        self.columns_form = self.table_form = None

    def form(self, data=None, files=None, **kwargs):
        # «Добавить из Word или Excel» on a roadmap's page opens the form with that roadmap.
        initial = {"roadmap": self.request.GET.get("roadmap")} if data is None else None
        return RoadmapUploadForm(
            data, files, program=self.program, user=self.request.user, initial=initial
        )

    def subject(self, form):
        roadmap, upload = form.cleaned_data["roadmap"], form.cleaned_data["file"]
        title = "" if roadmap else form.cleaned_data["title"]
        return ImportTarget(roadmap, title, upload.name), {
            "roadmap": roadmap.pk if roadmap else None,
            "title": title,
            "filename": upload.name,
        }

    def subject_again(self, params):
        roadmap = None
        if params["roadmap"] is not None:
            roadmap = (
                Roadmap.objects.editable_by(self.request.user)
                .filter(program=self.program, pk=params["roadmap"])
                .first()
            )
            if roadmap is None:
                raise ImportRefused("Дорожная карта удалена или больше не доступна вам.")
        return ImportTarget(roadmap, params["title"], params["filename"])

    def plan(self, content, subject):
        """The plan of the table and columns the person chose (the guess until they choose)."""
        request = self.request
        data = request.POST if request.method == "POST" else request.GET
        tables = read_tables(content, subject.filename)
        self.table_form = TableForm(data, tables=tables)
        table = self.table_form.table
        _, guessed = guess_columns(table)
        # The columns chosen for another table say nothing about this one.
        chosen = data.get("shown") == str(table.index)
        self.columns_form = ColumnsForm(
            data if chosen else None, table=table, guessed=guessed, initial={"shown": table.index}
        )
        meanings = self.columns_form.meanings()
        plan = plan_import(
            tables,
            program=self.program,
            table_index=table.index,
            meanings=meanings,
            roadmap=subject.roadmap,
            title=subject.title,
            user=request.user,
        )
        if self.columns_form.is_bound and not self.columns_form.is_valid():
            plan.errors.append("Выберите значение каждого столбца из списка.")
        return plan

    def done(self, summary, subject):
        roadmap = summary["roadmap"]
        text = f"Загружено мероприятий: {summary['items']} в дорожную карту «{roadmap}»."
        if summary["modules"]:
            text += f" Новых модулей: {summary['modules']}."
        return text, reverse("roadmaps:setup_roadmap", args=[roadmap.pk])

    def upload_url(self):
        return reverse("roadmaps:import", args=[self.program.pk])

    def context(self, **extra):
        return {
            "program": self.program,
            "columns_form": self.columns_form,
            "table_form": self.table_form,
            "meanings": Meaning.choices,
            "active": "roadmaps",
            **extra,
        }

    def upload(self):
        """Keep a readable file and show its columns and preview; the columns can be changed
        there, so the file is kept even when the first guess gives errors."""
        request = self.request
        form = self.form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            content = form.cleaned_data["file"].read()
            subject, params = self.subject(form)
            try:
                read_tables(content, subject.filename)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = stash(request, self.kind, content, params)
                url = reverse("roadmaps:import_preview", args=[self.program.pk])
                return redirect(f"{url}?token={token}")
        return render(request, self.upload_template, self.context(form=form))

    def preview(self):
        request = self.request
        token = request.GET.get("token")
        kept = unstash(request, self.kind, token)
        if kept is None:
            messages.error(request, NOT_FOUND)
            return redirect(self.upload_url())
        content, params = kept
        try:
            subject = self.subject_again(params)
            plan = self.plan(content, subject)
        except (ImportRefused, ImportFileError) as error:
            messages.error(request, str(error))
            return redirect(self.upload_url())
        return render(
            request,
            self.preview_template,
            self.context(plan=plan, token=token, subject=subject, form=None),
        )


def roadmap_import(request, pk):
    return RoadmapImport(request, pk).upload()


@require_GET
def roadmap_import_preview(request, pk):
    return RoadmapImport(request, pk).preview()


@require_POST
def roadmap_import_confirm(request, pk):
    return RoadmapImport(request, pk).confirm()


@require_GET
def roadmap_import_search(request, pk):
    """Roadmaps for the upload form's picker, through the form's own choices."""
    program = editable_program(request, pk)
    return form_search_response(request, RoadmapUploadForm(program=program, user=request.user))
