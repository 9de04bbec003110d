"""The two requests of every Excel import: the upload shows a preview, the confirmation applies it.

An import (schools, indicator values, …) is an `ImportFlow` subclass that says what differs: its
upload form, the subject the file is about (a region, a monitoring point) and how that subject is
found again on confirmation, how the file is planned, and where the person goes afterwards. The
flow is the same for all:

- upload: the form is checked, the file read into a plan; a plan without errors is kept in the
  session (`core.xlsx.stash`) and the preview offers to confirm it; a plan with errors shows them
  and offers to upload a corrected file;
- confirm: the kept file is read and checked again (the preview is never trusted blindly: the
  data or the person's rights may have changed meanwhile), then applied whole or not at all.
"""

from django.contrib import messages
from django.shortcuts import redirect, render

from .xlsx import ImportFileError, forget, stash, unstash

NOT_FOUND = "Файл для загрузки не найден или уже загружен. Загрузите его снова."
CHANGED = "Данные изменились после проверки: исправьте ошибки и загрузите файл снова."


class ImportRefused(Exception):
    """The kept file can no longer be applied (its subject closed meanwhile): the message says
    why, and the person starts again."""


class ImportFlow:
    """Upload → preview → confirm of one kind of import. Subclasses set the attributes and the
    hooks below; views call `upload()` and `confirm()`."""

    kind = ""  # tells kept files of different imports apart in the session
    upload_template = ""
    preview_template = ""

    def __init__(self, request):
        self.request = request

    # --- What each import says ------------------------------------------------------------

    def form(self, data=None, files=None, **kwargs):
        """The upload form (a `core.xlsx.UploadForm` with the import's own fields)."""
        raise NotImplementedError

    def subject(self, form):
        """The subject of a valid upload form and the params that find it again on confirm."""
        raise NotImplementedError

    def subject_again(self, params):
        """The subject on confirmation, checked again against the user's rights; raises
        `ImportRefused`, `Http404` or `PermissionDenied`."""
        raise NotImplementedError

    def plan(self, content, subject):
        """The import's plan of the file (an `ImportPlan`); raises `ImportFileError`."""
        raise NotImplementedError

    def done(self, summary, subject):
        """The message after a successful import, and where the person goes: (text, url)."""
        raise NotImplementedError

    def upload_url(self):
        raise NotImplementedError

    def context(self, **extra):
        return extra

    def preview_form(self, subject):
        """A fresh upload form under the preview, for a corrected file."""
        return self.form()

    # --- The flow -------------------------------------------------------------------------

    def upload(self):
        request = self.request
        form = self.form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            content = form.cleaned_data["file"].read()
            subject, params = self.subject(form)
            try:
                plan = self.plan(content, subject)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = stash(request, self.kind, content, params) if plan.is_valid else None
                return self._preview(plan, token, subject)
        return render(request, self.upload_template, self.context(form=form))

    def confirm(self):
        request = self.request
        token = request.POST.get("token")
        kept = unstash(request, self.kind, token)
        if kept is None:
            messages.error(request, NOT_FOUND)
            return redirect(self.upload_url())
        content, params = kept
        try:
            subject = self.subject_again(params)
            plan = self.plan(content, subject)
        except (ImportRefused, ImportFileError) as error:
            forget(request, token)
            messages.error(request, str(error))
            return redirect(self.upload_url())
        if not plan.is_valid:
            messages.error(request, CHANGED)
            return self._preview(plan, None, subject)
        summary = plan.apply(request.user)
        forget(request, token)
        text, url = self.done(summary, subject)
        messages.success(request, text)
        return redirect(url)

    def _preview(self, plan, token, subject):
        return render(
            self.request,
            self.preview_template,
            self.context(plan=plan, token=token, form=self.preview_form(subject)),
        )
