"""Background tasks of the schools (Django's Tasks API; a worker runs them)."""

from django_tasks import task

from core.imports import run_import

from .import_flow import SchoolImport


@task()
def import_schools(job_id):
    """Apply a confirmed school import too large for a request (`core.imports.run_import`)."""
    run_import(SchoolImport, job_id)
