"""`manage.py housekeeping`: import jobs go after their days (the marks: tests/dashboards)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_housekeeping_removes_import_jobs_past_their_days(world, settings):
    from core.models import ImportJob

    settings.IMPORT_JOB_DAYS = 30
    old = ImportJob.objects.create(
        kind="values", token="old", requested_by=world.coordinator, content=b"PK lost worker"
    )
    recent = ImportJob.objects.create(kind="values", token="new", requested_by=world.coordinator)
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "старше 30 дн.: 1" in out.getvalue()
