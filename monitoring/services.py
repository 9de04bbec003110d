"""Writing values at a monitoring point: a school's sheet saved as a draft or submitted, and an
approver's verdict. Each refuses the whole save with `StaleRevision` when a value changed
since the page was built."""

import copy
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from core.bulk import copy_to_history, delete_rows, rows_table
from core.changes import VALUE_FIGURES, data_changed, marks_together
from core.revisions import StaleRevision, claim, create_or_stale
from schools.models import Organization

from .models import Measurement


def _save_row(form, *, point, school, user, submit, moment, withdrawn):
    """Write one row if it changed (or is being submitted). Works on a copy, so that a refused
    sheet is shown again with the values as they are stored. A value sent for approval that a
    draft changes is withdrawn from approval; its indicator goes into `withdrawn`."""
    stored = form.measurement
    changed = form.has_changes()
    resubmitted = submit and stored is not None and stored.status != Measurement.Status.SUBMITTED
    if not changed and not resubmitted:
        return False
    if stored is None:
        measurement = Measurement(indicator=form.indicator, point=point, organization=school)
    else:
        measurement = copy.copy(stored)
        # The same rows, held: the save's change marks need the program and the territory.
        measurement.indicator, measurement.organization = form.indicator, school
    claim(measurement, form.seen_revision)
    measurement.value = form.cleaned_data["value"]
    measurement.comment = form.cleaned_data["comment"]
    if changed:
        measurement.entered_by = user
    if submit:
        measurement.submit(user, at=moment)
    elif changed and measurement.withdraw():
        withdrawn.append(form.indicator)
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


@dataclass
class SheetSaved:
    """What saving a sheet did: how many rows it wrote, and the indicators whose values a
    draft took back from approval (the school is told which)."""

    written: int
    withdrawn: list = field(default_factory=list)


def save_sheet(sheet, *, point, school, user, submit):
    """Save every editable row of the sheet: a draft keeps what is typed; submitting sends every
    row for approval. Rows left as they were are not rewritten. Returns `SheetSaved`, or None
    when a row changed meanwhile: then those rows carry the message and nothing is saved."""
    written, stale, withdrawn = 0, [], []
    moment = timezone.now()
    with transaction.atomic(), marks_together():
        for form in sheet.forms:
            try:
                written += _save_row(
                    form, point=point, school=school, user=user, submit=submit,
                    moment=moment, withdrawn=withdrawn,
                )  # fmt: skip
            except StaleRevision as error:
                stale.append((form, error))
        if stale:
            transaction.set_rollback(True)
    if stale:
        for form, error in stale:
            form.refuse_stale(error)
        sheet.non_field_errors.append(stale[0][1].message)
        return None
    return SheetSaved(written, withdrawn)


def review_measurement(measurement, user, *, approve, comment, seen_revision):
    """Approve the value, keeping the approver's note as its review comment, or return it to
    the school with the reviewer's comment."""
    with transaction.atomic():
        claim(measurement, seen_revision)
        if approve:
            measurement.approve(user, comment)
        else:
            measurement.send_back(user, comment)
        measurement.save()
        _audit_review([measurement], user, approve)
    return measurement


def review_sheet(point, school, user, *, approve, comment):
    """Approve, or return with one comment, every submitted value of `school` at `point` that
    `user` may approve (`Measurement.objects.approvable_by`), through each value's own
    `approve` / `send_back`. All or none: if one value refuses (say, the reviewer entered it),
    nothing is saved and the ValidationError names it. Returns the values reviewed."""
    approvable = Measurement.objects.approvable_by(user).filter(
        point=point, organization=school, status=Measurement.Status.SUBMITTED
    )
    with transaction.atomic():
        # Held until the end, so a value the school withdraws meanwhile is not decided on.
        values = list(
            Measurement.objects.select_for_update()
            .filter(pk__in=approvable.values("pk"), status=Measurement.Status.SUBMITTED)
            .select_related("indicator")
            .order_by("indicator__order", "indicator__code")
        )
        refused = []
        for measurement in values:
            try:
                if approve:
                    measurement.approve(user, comment)
                else:
                    measurement.send_back(user, comment)
            except ValidationError as refusal:
                refused.append(
                    f"показатель {measurement.indicator.code}: {' '.join(refusal.messages)}"
                )
        if refused:
            raise ValidationError("Ничего не сохранено — " + "; ".join(refused))
        with marks_together():
            for measurement in values:
                measurement.save()
        _audit_review(values, user, approve)
    return values


def delete_values(queryset, user, reason=None):
    """Delete the values `queryset` selects — a point's, a school's, thousands — in a fixed
    number of statements: their history as a set, one DELETE, and the change marks of the
    figures of every program they were of (`core.bulk.delete_rows`), in one transaction.
    Returns how many were deleted."""
    moment = timezone.now()
    with transaction.atomic():
        programs = list(
            queryset.order_by().values_list("indicator__program_id", flat=True).distinct()
        )
        deleted = delete_rows(queryset, user=user, date=moment, reason=reason)
        for program_id in programs:
            data_changed(program_id, VALUE_FIGURES)
    return deleted


def decide_sheets(point, schools, user, *, approve, comment=""):
    """Approve, or return with one remark, the sheets of several `schools` at `point` at once —
    every value `user` may decide on (`approvable_by`): submitted ones to approve, sent ones to
    return. Set-based, one statement per step whatever the number of schools: lock the values,
    change them (`approve_all` / `return_all`), and copy them into their history as one set,
    stamped with the approver and one moment. Returns the number of values decided.
    Approving is undone by returning: a returned value goes back to the school."""
    status = [Measurement.Status.SUBMITTED] if approve else list(Measurement.SENT)
    approvable = Measurement.objects.approvable_by(user).filter(
        point=point, organization__in=schools, status__in=status
    )
    moment = timezone.now()
    with transaction.atomic():
        # Ordered by key alone: the model's ordering joins the (nullable) organization, which
        # PostgreSQL does not lock.
        ids = list(
            Measurement.objects.select_for_update()
            .filter(pk__in=approvable.values("pk"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        chosen = Measurement.objects.filter(pk__in=ids)
        decided = chosen.approve_all(user, moment) if approve else chosen.return_all(comment)
        source, params = rows_table([("id", Measurement._meta.pk)], [(pk,) for pk in ids])
        # Only the rows the decision changed go into the history.
        copy_to_history(
            Measurement,
            f"JOIN {source} ON m.id = v.id WHERE m.status = %s",
            [*params, Measurement.Status.APPROVED if approve else Measurement.Status.RETURNED],
            history_type="~",
            user=user,
            date=moment,
            reason="утверждено списком" if approve else "возвращено списком",
        )
        # An update() writes no change mark by itself: the point's figures must follow.
        data_changed(point.program_id, VALUE_FIGURES)
        decided_status = Measurement.Status.APPROVED if approve else Measurement.Status.RETURNED
        by_school = {}
        for school, pk in chosen.filter(status=decided_status).values_list("organization", "pk"):
            by_school.setdefault(school, []).append(pk)
        schools_by_pk = Organization.objects.in_bulk(list(by_school))
        audit.record_many(
            audit.Action.VALUE_APPROVED if approve else audit.Action.VALUE_RETURNED,
            actor=user,
            events=[
                (schools_by_pk.get(school), {"point": point.pk, "measurements": pks})
                for school, pks in by_school.items()
            ],
        )
    return decided


def _audit_review(values, user, approve):
    """One audit event per decision (a value, or a school's sheet at a point): who approved or
    returned which school's values; one row whatever the number of values."""
    if not values:
        return
    first = values[0]
    audit.record(
        audit.Action.VALUE_APPROVED if approve else audit.Action.VALUE_RETURNED,
        actor=user,
        organization=first.organization,
        point=first.point_id,
        measurements=[measurement.pk for measurement in values],
    )
