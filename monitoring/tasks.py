"""Background tasks of monitoring (Django's Tasks API; a worker runs them)."""

from django_tasks import task

from core.imports import run_import

from .import_flow import ResultsImport, ValuesImport


@task()
def import_values(job_id):
    """Apply a confirmed values import too large for a request (`core.imports.run_import`)."""
    run_import(ValuesImport, job_id)


@task()
def import_results(job_id):
    """Apply a confirmed results import too large for a request (`core.imports.run_import`)."""
    run_import(ResultsImport, job_id)
