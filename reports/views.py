"""Report downloads: the page, the PDF and the workbook of one report about one subject.

Authorize (the subject through its model's `visible_to`: 404 outside the user's reach), read the
period if the report takes one and the territory (the dashboard's scope), build the report of
what it covers (`common.Coverage`), render."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_safe

from core.access import visible_or_404
from core.uploads import file_response
from dashboards.scope import WHOLE

from . import html
from .background import is_large, program_of, request_file, subject_size
from .common import made_at
from .half_year import PeriodForm, default_period
from .kinds import KINDS
from .links import report_urls
from .pdf import render_pdf
from .territory import scope_from_query, scope_params
from .xlsx import render_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _resolve(request, slug, pk):
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("Нет такого отчёта.")
    subject = visible_or_404(kind.queryset(), request.user, pk=pk)
    if not kind.applies_to(subject):
        raise Http404("Этот отчёт не строится для этой организации.")
    return kind, subject


def _period_form(request, kind, subject):
    if not kind.takes_period:
        return None
    initial = default_period(subject, made_at(subject).date())
    data = request.GET if ("from" in request.GET or "to" in request.GET) else None
    return PeriodForm(data, initial_period=initial)


def _params(form, scope=WHOLE):
    params = {} if scope.is_whole else {"scope": scope}
    if form is None or not form.is_bound:
        return params
    return {**params, "starts_on": form.cleaned_data["from"], "ends_on": form.cleaned_data["to"]}


def _scope(request, kind, subject):
    """The territory the report covers (?region=, ?municipality=; without them, the user's own
    part of the program, as on its dashboard): a territory out of their reach is a 404
    (`territory.scope_from_query`)."""
    if not kind.takes_territory:
        return WHOLE
    return scope_from_query(request.user, program_of(subject), request.GET)


def _query(request, form, scope):
    """The query the report's links carry: its period and its territory."""
    params = dict(scope_params(scope))
    if form is not None and form.is_bound:
        params |= {name: request.GET.get(name, "") for name in ("from", "to")}
    return urlencode(params)


@require_safe
def report_page(request, slug, pk):
    kind, subject = _resolve(request, slug, pk)
    scope = _scope(request, kind, subject)
    form = _period_form(request, kind, subject)
    links = report_urls(kind, subject, _query(request, form, scope))
    if form is not None and form.is_bound and not form.is_valid():
        # The page still answers, with the messages beside the dates and no report.
        return html.render_page(
            request, None, kind=kind, subject=subject, links=links, form=form, status=400
        )
    size = subject_size(subject, scope)
    if size.is_large:
        # Hundreds of pages are no page to read in a browser: the files are made in the
        # background instead, and the page says so.
        return html.render_page(
            request,
            None,
            kind=kind,
            subject=subject,
            links=links,
            form=form,
            large=size,
        )
    report = kind.build(subject, request.user, **_params(form, scope))
    return html.render_page(request, report, kind=kind, subject=subject, links=links, form=form)


def _download(request, slug, pk, fmt):
    kind, subject = _resolve(request, slug, pk)
    scope = _scope(request, kind, subject)
    form = _period_form(request, kind, subject)
    if form is not None and form.is_bound and not form.is_valid():
        errors = "; ".join(e for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            f"Неверный период отчёта: {errors}", content_type="text/plain; charset=utf-8"
        )
    if is_large(subject, scope):
        report_file = request_file(kind, subject, request.user, fmt, _params(form, scope))
        return redirect("reports:file", report_file.pk)
    report = kind.build(subject, request.user, **_params(form, scope))
    content = render_pdf(report) if fmt == "pdf" else render_xlsx(report)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{report.filename}.{fmt}"
    )
    return response


@require_safe
def report_pdf(request, slug, pk):
    return _download(request, slug, pk, "pdf")


@require_safe
def report_xlsx(request, slug, pk):
    return _download(request, slug, pk, "xlsx")


def _report_file(request, file_id):
    """The file, if it is the user's and they still see the report's subject; 404 otherwise."""
    from .models import ReportFile

    report_file = get_object_or_404(ReportFile.objects.visible_to(request.user), pk=file_id)
    kind = KINDS.get(report_file.kind)
    if kind is None:
        raise Http404("Нет такого отчёта.")
    subject = visible_or_404(kind.queryset(), request.user, pk=report_file.subject_id)
    return report_file, kind, subject


@require_safe
def report_file(request, file_id):
    """The page that waits for a background report: progress while it is made (the fragment
    polls itself through htmx), the download once it is ready, a message if it failed or
    expired."""
    from django.utils import timezone

    report_file, kind, subject = _report_file(request, file_id)
    report_file.end_if_stale()
    expired = report_file.expires_at <= timezone.now()
    context = {
        "file": report_file,
        "kind": kind,
        "subject": subject,
        "expired": expired,
        "links": report_urls(kind, subject),
    }
    template = "reports/_file_status.html" if request.htmx else "reports/file_page.html"
    return render(request, template, context, status=410 if expired else 200)


@require_safe
def report_file_download(request, file_id):
    from django.utils import timezone

    report_file, _kind, _subject = _report_file(request, file_id)
    if report_file.expires_at <= timezone.now():
        return redirect("reports:file", report_file.pk)
    if report_file.status != report_file.Status.READY:
        return redirect("reports:file", report_file.pk)
    return file_response(report_file.file, report_file.filename)
