"""Pages of the imports of indicator values and of assessment results: upload → preview →
confirm, and the page of an import applied in the background (the flows in
monitoring/import_flow.py on core/imports.py, the reading in monitoring/imports.py and
monitoring/results.py). Only the program's coordinators (`Program.objects.editable_by`) may
import."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST, require_safe

from core.requests import read_id
from core.xlsx import workbook_response
from programs.models import Program

from . import results
from .import_flow import ResultsImport, ValuesImport
from .imports import values_template


def import_values(request, pk):
    return ValuesImport(request, pk).upload()


@require_POST
def import_values_confirm(request, pk):
    return ValuesImport(request, pk).confirm()


@require_safe
def import_values_job(request, pk, job_id):
    return ValuesImport(request, pk).job_page(job_id)


def import_values_template(request, pk):
    program = Program.objects.set_up_by(request.user, pk)
    point = get_object_or_404(program.points.all(), pk=read_id(request.GET, "point", required=True))
    return workbook_response(values_template(point, request.user), f"Значения — {point.title}.xlsx")


def import_results(request, pk):
    """Upload and preview of a table of assessment results at the point `pk`."""
    return ResultsImport(request, pk).upload()


@require_POST
def import_results_confirm(request, pk):
    return ResultsImport(request, pk).confirm()


@require_safe
def import_results_job(request, pk, job_id):
    return ResultsImport(request, pk).job_page(job_id)


def results_template(request):
    """The template of a table of assessment results, for anyone signed in: it holds no data."""
    return workbook_response(results.results_template(), "Результаты оценочных процедур.xlsx")
