"""The two requests of every Excel import: the upload shows a preview, the confirmation applies it,
in the request or — past `IMPORT_BACKGROUND_ROWS` rows to write — by a worker.

An import (schools, indicator values, …) is an `ImportFlow` subclass that says what differs: its
upload form, the subject the file is about (a region, a monitoring point) and how that subject is
found again on confirmation, how the file is planned, and where the person goes afterwards. The
flow is the same for all:

- upload: the form is checked, the file read into a plan; a plan without errors is kept in the
  session (`core.xlsx.stash`) with the number of rows it would write, and the preview offers to
  confirm it; a plan with errors shows them and offers to upload a corrected file;
- confirm: the kept file is read and checked again (the preview is never trusted blindly: the
  data or the person's rights may have changed meanwhile), then applied whole or not at all.
  A flow with a `task` records each confirmation as an `ImportJob` that claims the file's token,
  so the same file confirmed twice is imported once. A file of more rows than the bound is not
  read in the request at all: the job keeps it, the task applies it (`run_import`) with the
  rights of the person who confirmed it, checked again, and the job's page shows the progress
  and then what was written.
"""

import gc
import logging
from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .background import enqueue_after_commit
from .models import ImportJob
from .xlsx import ImportFileError, forget, stash, unstash

logger = logging.getLogger(__name__)

NOT_FOUND = "Файл для загрузки не найден или уже загружен. Загрузите его снова."
CHANGED = "Данные изменились после проверки: исправьте ошибки и загрузите файл снова."
NO_ACCESS = "Загрузка отменена: у вас больше нет доступа к её данным. Ничего не сохранено."
BROKEN = "Загрузка не удалась, ничего не сохранено. Попробуйте ещё раз или сообщите администратору."
_ROWS = "_rows"  # the previewed plan's size, kept beside the subject's params
# The most rows of each list a preview shows; the rest are counted: a region's file of thousands
# of rows is confirmed as a whole, not read line by line.
PREVIEW_ROWS = 300


@contextmanager
def without_cycle_collection():
    """Python's collector of reference cycles switched off for the block: a plan of 135,000
    values makes hundreds of thousands of objects (cells, values, changes), none in a cycle,
    and the collector walked them all again and again as they were made — over a third of the
    plan's time. The garbage of the block is collected after it, as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ImportRefused(Exception):
    """The kept file can no longer be applied (its subject closed meanwhile): the message says
    why, and the person starts again."""


class _Claimed(Exception):
    """The file's confirmation is already an import (`job`)."""

    def __init__(self, job):
        super().__init__(job.pk)
        self.job = job


class ImportFlow:
    """Upload → preview → confirm of one kind of import. Subclasses set the attributes and the
    hooks below; views call `upload()`, `confirm()` and `job_page()`. Built from a request by the
    pages, or for a user alone by the worker (`for_job`)."""

    kind = ""  # tells kept files of different imports apart in the session
    upload_template = ""
    preview_template = ""
    job_template = ""  # the page that follows a confirmed import
    # The dotted path of the task that applies a large confirmed file (`run_import`); None:
    # always in the request. A path, not the task: the task imports the flow.
    task = None

    def __init__(self, request=None, *, user=None):
        self.request = request
        self.user = user if user is not None else request.user

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

    # --- What an import applied in the background says as well ---------------------------

    @classmethod
    def for_job(cls, job):
        """The flow of a job for the person who confirmed it, as the worker builds it: their
        rights to what the flow is about are checked as the pages check them."""
        raise NotImplementedError

    def job_params(self):
        """What, besides the subject's params, finds the flow again (a program's id)."""
        return {}

    def job_title(self, subject):
        return str(subject)

    def job_url(self, job):
        raise NotImplementedError

    def summary_text(self, summary):
        """What a finished import wrote, in words."""
        raise NotImplementedError

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
                token = None
                if plan.is_valid:
                    token = stash(request, self.kind, content, {**params, _ROWS: plan.size})
                return self._preview(plan, token, subject)
        return render(request, self.upload_template, self.context(form=form))

    def confirm(self):
        request = self.request
        token = request.POST.get("token") or ""
        kept = unstash(request, self.kind, token)
        if kept is None:
            # Confirmed already (a second click, a reload): to where that import is.
            job = self.jobs().filter(token=token).first() if token and self.task else None
            if job is not None:
                return redirect(self.job_url(job))
            messages.error(request, NOT_FOUND)
            return redirect(self.upload_url())
        content, params = kept
        params = dict(params)
        rows = params.pop(_ROWS, 0)
        try:
            subject = self.subject_again(params)
            if self.task is not None and rows > settings.IMPORT_BACKGROUND_ROWS:
                job = self._enqueue(token, content, params, rows, subject)
                forget(request, token)
                return redirect(self.job_url(job))
            plan = self.plan(content, subject)
        except (ImportRefused, ImportFileError) as error:
            forget(request, token)
            messages.error(request, str(error))
            return redirect(self.upload_url())
        if not plan.is_valid:
            messages.error(request, CHANGED)
            return self._preview(plan, None, subject)
        try:
            with transaction.atomic():
                summary = self._apply(token, params, plan, subject)
        except ImportRefused as error:
            # Written meanwhile by someone else: nothing of the file was saved.
            forget(request, token)
            messages.error(request, str(error))
            return redirect(self.upload_url())
        except _Claimed as claimed:
            forget(request, token)
            return redirect(self.job_url(claimed.job))
        forget(request, token)
        text, url = self.done(summary, subject)
        messages.success(request, text)
        return redirect(url)

    def _apply(self, token, params, plan, subject):
        """Apply the plan in the request; a flow with a task records it as a finished job,
        unless another confirmation of the same file got there first (`_Claimed`)."""
        if self.task is None:
            return plan.apply(self.user)
        job, claimed = self._claim(token, params, plan.size, subject)
        if not claimed:
            raise _Claimed(job)
        summary = plan.apply(self.user)
        job.succeed(summary=summary)
        return summary

    def jobs(self):
        """This person's imports of this kind (of this flow's program, say)."""
        jobs = ImportJob.objects.visible_to(self.user).filter(kind=self.kind)
        for name, value in self.job_params().items():
            jobs = jobs.filter(**{f"params__{name}": value})
        return jobs

    def job_page(self, job_id):
        """The page of a confirmed import: its progress while a worker applies it (the status
        polls itself through htmx), then what was written, or why nothing was. 404 for anyone
        but the person who confirmed it, and for them too once the subject is out of reach."""
        job = get_object_or_404(self.jobs(), pk=job_id).end_if_stale()
        try:
            subject = self.subject_again(job.params)
        except ImportRefused:
            subject = None  # closed since (a locked point): the result is still theirs to read
        except PermissionDenied as error:
            raise Http404("Загрузка недоступна.") from error
        context = self.context(
            job=job,
            subject=subject,
            summary=self.summary_text(job.summary) if job.summary else "",
            next_url=self.done(job.summary, subject)[1] if job.summary and subject else "",
            upload_url=self.upload_url(),
        )
        template = "includes/import_job_status.html" if self.request.htmx else self.job_template
        return render(self.request, template, context)

    def _new_job(self, token, params, rows, subject, **fields):
        return ImportJob(
            kind=self.kind,
            token=token,
            title=self.job_title(subject)[:300],
            params={**params, **self.job_params()},
            rows=rows,
            requested_by=self.user,
            **fields,
        )

    def _claim(self, token, params, rows, subject, **fields):
        """The job of this confirmation, and whether this request made it: the token is unique,
        so of two confirmations at once the second waits for the first and finds its job."""
        job = self._new_job(token, params, rows, subject, **fields)
        try:
            with transaction.atomic():
                job.save(force_insert=True)
        except IntegrityError:
            existing = self.jobs().filter(token=token).first()
            if existing is None:
                raise
            return existing, False
        return job, True

    def _enqueue(self, token, content, params, rows, subject):
        job, claimed = self._claim(token, params, rows, subject, content=content)
        if claimed:
            enqueue_after_commit(self.task, str(job.pk))
        return job

    def _preview(self, plan, token, subject):
        background = self.task is not None and plan.size > settings.IMPORT_BACKGROUND_ROWS
        return render(
            self.request,
            self.preview_template,
            self.context(
                plan=plan, token=token, form=self.preview_form(subject), background=background
            ),
        )

    # --- In the worker --------------------------------------------------------------------

    def run(self, job):
        """Apply the job's file as the confirmation in a request would: the subject and the
        file checked again with the rights of the person who confirmed it, then written whole
        in one transaction or not at all."""
        job.advance(5, "проверка прав и файла")
        subject = self.subject_again(job.params)
        plan = self.plan(bytes(job.content), subject)
        if not plan.is_valid:
            job.fail(CHANGED, plan.errors)
            return
        job.advance(40, f"запись: строк — {plan.size}")
        with transaction.atomic():
            summary = plan.apply(self.user)
        job.succeed(summary=summary)


def run_import(flow_class, job_id):
    """The body of an import's task: claim the waiting job (a second run of the same task finds
    it claimed and does nothing) and apply it; whatever goes wrong, nothing of the file is
    written and the job says why in words a person can act on."""
    if not ImportJob.claim(job_id):
        return
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        if not job.requested_by.is_active:
            raise PermissionDenied
        flow_class.for_job(job).run(job)
    except (ImportRefused, ImportFileError) as error:
        job.fail(str(error))
    except (PermissionDenied, Http404):
        job.fail(NO_ACCESS)
    except Exception:
        logger.exception("Import %s failed", job_id)
        job.fail(BROKEN)
        raise
