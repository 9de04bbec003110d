"""Report downloads: the page, the PDF and the workbook of one report about one subject.

Authorize (the subject through its model's `visible_to`: 404 outside the user's reach), read the
period if the report takes one, build the report through the user's access rules, render."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from core.access import visible_or_404

from . import html
from .common import made_at
from .half_year import PeriodForm, default_period
from .kinds import KINDS
from .links import report_urls
from .pdf import render_pdf
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


def _params(form):
    if form is None or not form.is_bound:
        return {}
    return {"starts_on": form.cleaned_data["from"], "ends_on": form.cleaned_data["to"]}


@require_safe
def report_page(request, slug, pk):
    kind, subject = _resolve(request, slug, pk)
    form = _period_form(request, kind, subject)
    query = request.GET.urlencode() if form is not None and form.is_bound else ""
    links = report_urls(kind, subject, query)
    if form is not None and form.is_bound and not form.is_valid():
        # The page still answers, with the messages beside the dates and no report.
        return html.render_page(
            request, None, kind=kind, subject=subject, links=links, form=form, status=400
        )
    report = kind.build(subject, request.user, **_params(form))
    return html.render_page(request, report, kind=kind, subject=subject, links=links, form=form)


def _download(request, slug, pk, fmt):
    kind, subject = _resolve(request, slug, pk)
    form = _period_form(request, kind, subject)
    if form is not None and form.is_bound and not form.is_valid():
        errors = "; ".join(e for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(
            f"Неверный период отчёта: {errors}", content_type="text/plain; charset=utf-8"
        )
    report = kind.build(subject, request.user, **_params(form))
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
