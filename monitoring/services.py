"""Writing values at a monitoring point: a school's sheet saved as a draft or submitted, and an
approver's verdict. Each refuses the whole save with `StaleRevision` when a value changed
since the page was built."""

import copy

from django.db import transaction
from django.utils import timezone

from core.revisions import StaleRevision, claim, create_or_stale

from .models import Measurement


def _save_row(form, *, point, school, user, submit, moment):
    """Write one row if it changed (or is being submitted). Works on a copy, so that a refused
    sheet is shown again with the values as they are stored."""
    stored = form.measurement
    changed = form.has_changes()
    resubmitted = submit and stored is not None and stored.status != Measurement.Status.SUBMITTED
    if not changed and not resubmitted:
        return False
    if stored is None:
        measurement = Measurement(indicator=form.indicator, point=point, organization=school)
    else:
        measurement = copy.copy(stored)
    claim(measurement, form.seen_revision)
    measurement.value = form.cleaned_data["value"]
    measurement.comment = form.cleaned_data["comment"]
    if changed:
        measurement.entered_by = user
    if submit:
        measurement.status = Measurement.Status.SUBMITTED
        measurement.submitted_at = moment
    elif changed:
        measurement.status = Measurement.Status.DRAFT
    # Every row of one save is recorded at one moment: the history shows the save as one entry.
    measurement._history_date = moment
    if measurement.pk is None:
        try:
            create_or_stale(measurement.save)
        except StaleRevision as error:
            # Someone entered this value meanwhile: name its revision, so that sending the form
            # again is a deliberate overwrite.
            error.current = (
                Measurement.objects.filter(
                    indicator=form.indicator, point=point, organization=school
                )
                .values_list("revision", flat=True)
                .first()
            )
            raise
    else:
        measurement.save()
    return True


def save_sheet(sheet, *, point, school, user, submit):
    """Save every editable row of the sheet: a draft keeps what is typed; submitting sends every
    row for approval. Rows left as they were are not rewritten. Returns the number of rows
    written, or None when a row changed meanwhile: then those rows carry the message and
    nothing is saved."""
    written, stale = 0, []
    moment = timezone.now()
    with transaction.atomic():
        for form in sheet.forms:
            try:
                written += _save_row(
                    form, point=point, school=school, user=user, submit=submit, moment=moment
                )
            except StaleRevision as error:
                stale.append((form, error))
        if stale:
            transaction.set_rollback(True)
    if stale:
        for form, error in stale:
            form.refuse_stale(error)
        sheet.non_field_errors.append(stale[0][1].message)
        return None
    return written


def review_measurement(measurement, user, *, approve, comment, seen_revision):
    """Approve the value, or return it to the school with the reviewer's comment."""
    with transaction.atomic():
        claim(measurement, seen_revision)
        if approve:
            measurement.approve(user)
        else:
            measurement.send_back(user, comment)
        measurement.save()
    return measurement
