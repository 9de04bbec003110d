"""When a program's forecasts are recomputed: after a value is approved and when a monitoring
point is closed (locked), once the writer's transaction commits. A point that closes by its date
alone is caught by `manage.py recompute_forecasts`, run daily."""

from django.db import transaction
from django.db.models.signals import post_save

from monitoring.models import Measurement, MonitoringPoint

CHANGES_COUNTED = (Measurement.Status.APPROVED, Measurement.Status.RETURNED)


def _value_saved(sender, instance, raw=False, **kwargs):
    # A value returned after approval stops counting as surely as an approved one starts.
    if raw or instance.organization_id is None or instance.status not in CHANGES_COUNTED:
        return
    _after_commit(instance.point.program_id)


def _point_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.locked:
        _after_commit(instance.program_id)


def _after_commit(program_id):
    from .tasks import request_recompute

    transaction.on_commit(lambda: request_recompute(program_id))


def connect():
    post_save.connect(_value_saved, sender=Measurement, dispatch_uid="forecasts-approved")
    post_save.connect(_point_saved, sender=MonitoringPoint, dispatch_uid="forecasts-point-locked")
