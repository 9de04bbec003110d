"""Pages of the school import: upload → preview → confirm, and the page of an import applied in
the background (the flow in schools/import_flow.py on core/imports.py, the reading in
schools/imports.py)."""

from django.views.decorators.http import require_POST, require_safe

from core.requests import read_id
from core.xlsx import workbook_response

from .import_flow import SchoolImport, _regions_or_403
from .imports import school_template


def school_import(request):
    """Upload a filled template; the answer is the preview of what it would do."""
    return SchoolImport(request).upload()


@require_POST
def school_import_confirm(request):
    """Apply a previewed file: read and checked again, saved whole or not at all."""
    return SchoolImport(request).confirm()


@require_safe
def school_import_job(request, job_id):
    """The progress of a confirmed import and then what it wrote, to whoever confirmed it."""
    return SchoolImport(request).job_page(job_id)


def school_import_template(request):
    regions = _regions_or_403(request.user)
    region = regions.filter(pk=read_id(request.GET, "region")).first() or regions.first()
    return workbook_response(school_template(region, request.user), "Шаблон загрузки школ.xlsx")
