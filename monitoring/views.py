"""Monitoring point pages: the point with its completeness table, the data-entry sheet of one
school, and the approver's verdict on a value."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import require, visible_or_404
from core.history import grouped_history
from core.revisions import StaleRevision
from programs.models import Program

from . import services
from .forms import EntrySheet, MeasurementReviewForm, SheetReviewForm
from .models import Measurement, MonitoringPoint, SheetProgress, Target

POINT_RELATED = ("program__region", "program__municipality__region", "program__owner")
VALUE_HISTORY_FIELDS = ["value", "status", "comment", "review_comment"]


def _point(request, pk):
    return visible_or_404(
        MonitoringPoint.objects.select_related(*POINT_RELATED), request.user, pk=pk
    )


def _completeness(point, user, schools):
    """One row per school: how many of the indicators of its sheet are filled, submitted,
    approved and returned, whether the sheet is complete (`MonitoringPoint.complete_schools`),
    and a word for where the school stands."""
    indicators = point.sheet_indicators()
    # Only the schools listed: a national point holds the values of thousands of schools, of
    # which a coordinator's page lists those of their territory.
    listed = schools.order_by().values("pk")
    counts = {
        row["organization"]: row
        for row in Measurement.objects.visible_to(user)
        .filter(point=point, indicator__in=indicators, organization__in=listed)
        .completeness()
    }
    complete = set(
        point.complete_schools()
        .filter(organization__in=listed)
        .values_list("organization", flat=True)
    )
    total = indicators.count()
    rows = []
    for school in schools:
        progress = SheetProgress.of(counts.get(school.pk), total)
        state, color = progress.state
        rows.append(
            {
                "school": school,
                "filled": progress.filled,
                "submitted": progress.submitted,
                "approved": progress.approved,
                "returned": progress.returned,
                "sent": progress.sent,
                "complete": school.pk in complete,
                "state": state,
                "color": color,
            }
        )
    return rows


def point_detail(request, pk):
    point = _point(request, pk)
    user = request.user
    schools = (
        point.program.supported_schools()
        .visible_to(user)
        .select_related("municipality")
        .order_by("short_name")
    )
    indicators = list(point.program.indicators.visible_to(user).order_by("order", "code"))
    rows = _completeness(point, user, schools)
    missing_only = request.GET.get("missing") == "1"
    return render(
        request,
        "monitoring/point_detail.html",
        {
            "point": point,
            "program": point.program,
            "indicators": indicators,
            "entered_count": sum(1 for i in indicators if i.is_entered_at_school),
            "rows": [r for r in rows if not r["complete"]] if missing_only else rows,
            "schools_count": len(rows),
            "missing_count": sum(1 for r in rows if not r["complete"]),
            "missing_only": missing_only,
            # The same rule as the imports' own pages (`Program.objects.set_up_by`).
            "can_import": Program.objects.editable_by(user).contains(point.program),
        },
    )


def _entry_page(request, point, school, *, sheet=None, review_forms=None, sheet_review=None):
    user = request.user
    program = point.program
    indicators = list(program.indicators.entered().of_schools().order_by("order", "code"))
    measurements = {
        m.indicator_id: m
        for m in Measurement.objects.visible_to(user)
        .filter(point=point, organization=school)
        .select_related("entered_by", "approved_by")
    }
    may_change = point.values_changeable_by(user, school)
    if sheet is None:
        sheet = EntrySheet(indicators=indicators, measurements=measurements, editable=may_change)
    approvable = set(
        Measurement.objects.approvable_by(user)
        .filter(point=point, organization=school)
        .values_list("pk", flat=True)
    )
    review_forms = review_forms or {}
    base_point = point.baseline()
    baseline = {}
    if base_point is not None and base_point != point:
        baseline = dict(
            Measurement.objects.visible_to(user)
            .counted()
            .filter(point=base_point, organization=school)
            .values_list("indicator_id", "value")
        )
    targets = Target.objects.filter(indicator__program=program).applicable(point, school)
    for row in sheet.rows:
        m = row["measurement"]
        row["baseline"] = baseline.get(row["indicator"].pk)
        row["target"] = targets.get(row["indicator"].pk)
        row["review"] = None
        if m is not None and m.pk in review_forms:
            row["review"] = review_forms[m.pk]
        elif m is not None and m.pk in approvable and m.can_be_returned:
            row["review"] = MeasurementReviewForm(measurement=m)
    submitted = sum(
        1
        for row in sheet.rows
        if row["measurement"] is not None
        and row["measurement"].pk in approvable
        and row["measurement"].status == Measurement.Status.SUBMITTED
    )
    records = defaultdict(list)
    for record in Measurement.history.filter(
        point_id=point.pk, organization_id=school.pk
    ).select_related("history_user", "indicator"):
        records[record.id].append(record)
    history = grouped_history(
        sorted(
            ((str(group[0].indicator), group) for group in records.values()),
            key=lambda pair: (pair[1][0].indicator.order, pair[1][0].indicator.code),
        ),
        VALUE_HISTORY_FIELDS,
    )
    return render(
        request,
        "monitoring/entry.html",
        {
            "point": point,
            "program": program,
            "school": school,
            "sheet": sheet,
            "may_change": may_change,
            "may_edit_school": bool(sheet.editable),
            "reviewing": any(row["review"] for row in sheet.rows),
            # A draft over these withdraws them from approval: the page says so beforehand.
            "under_review": any(
                row["form"] is not None
                and row["measurement"] is not None
                and row["measurement"].status == Measurement.Status.SUBMITTED
                for row in sheet.rows
            ),
            "computed": program.indicators.computed().order_by("order"),
            "history": history,
            # One verdict for all submitted values the reviewer may decide on.
            "submitted_count": submitted,
            "sheet_review": sheet_review or (SheetReviewForm() if submitted else None),
        },
    )


def _school(point, user, school_pk):
    """A school supported in the point's program that the user sees; 404 otherwise."""
    return visible_or_404(point.program.supported_schools(), user, pk=school_pk)


def entry(request, pk, school_pk):
    """The data-entry sheet of one school at one point; POST saves it as a draft or submits it."""
    point = _point(request, pk)
    school = _school(point, request.user, school_pk)
    if request.method != "POST":
        return _entry_page(request, point, school)
    if not point.values_changeable_by(request.user, school):
        raise PermissionDenied("Изменять значения этой школы в этой точке вы не можете.")
    indicators = list(point.program.indicators.entered().of_schools().order_by("order", "code"))
    measurements = {
        m.indicator_id: m
        for m in Measurement.objects.editable_by(request.user).filter(
            point=point, organization=school, indicator__in=indicators
        )
    }
    sheet = EntrySheet(
        request.POST, indicators=indicators, measurements=measurements, editable=True
    )
    submit = request.POST.get("action") == EntrySheet.SUBMIT
    action = EntrySheet.SUBMIT if submit else EntrySheet.DRAFT
    if sheet.is_valid(action):
        saved = services.save_sheet(
            sheet, point=point, school=school, user=request.user, submit=submit
        )
        if saved is not None:
            if submit:
                messages.success(request, "Значения отправлены на проверку.")
            elif saved.written:
                messages.success(request, "Черновик сохранён.")
            else:
                messages.info(request, "Изменений нет.")
            if saved.withdrawn:
                codes = ", ".join(indicator.code for indicator in saved.withdrawn)
                messages.warning(
                    request,
                    f"Значения показателей {codes} были на проверке: черновик отозвал их. "
                    "Чтобы их утвердили, отправьте значения на проверку снова.",
                )
            return redirect("monitoring:entry", pk=point.pk, school_pk=school.pk)
    return _entry_page(request, point, school, sheet=sheet)


@require_POST
def review(request, pk):
    """Approve a submitted value, or return it to the school with a comment."""
    measurement = visible_or_404(
        Measurement.objects.select_related(
            "indicator", "organization", *(f"point__{name}" for name in POINT_RELATED)
        ),
        request.user,
        pk=pk,
    )
    require(
        Measurement.objects.approvable_by(request.user),
        measurement,
        "Вы можете видеть это значение, но утверждать или возвращать его не можете.",
    )
    point, school = measurement.point, measurement.organization
    form = MeasurementReviewForm(request.POST, measurement=measurement)
    if form.is_valid():
        approve = form.approves
        try:
            services.review_measurement(
                measurement,
                request.user,
                approve=approve,
                comment=form.cleaned_data["comment"].strip(),
                seen_revision=form.seen_revision,
            )
        except StaleRevision as stale:
            form.refuse_stale(stale)
        except ValidationError as refusal:
            # The model's own rule (`Measurement.approve`, `send_back`), e.g. the one who
            # entered the value approving it.
            form.add_error(None, refusal.messages)
        else:
            verb = "утверждено" if approve else "возвращено на доработку"
            messages.success(request, f"Значение показателя {measurement.indicator.code} {verb}.")
            if school is None:
                return redirect(point)
            url = reverse("monitoring:entry", args=[point.pk, school.pk])
            return redirect(f"{url}#indicator-{measurement.indicator_id}")
    if school is None:
        messages.error(request, " ".join(form.non_field_errors()) or "Решение не сохранено.")
        return redirect(point)
    # Reload the point with the time zone's relations for the page.
    point = _point(request, point.pk)
    return _entry_page(request, point, school, review_forms={measurement.pk: form})


@require_POST
def review_sheet(request, pk, school_pk):
    """Approve, or return with one comment, all submitted values of one school at one point."""
    point = _point(request, pk)
    school = _school(point, request.user, school_pk)
    if (
        not Measurement.objects.approvable_by(request.user)
        .filter(point=point, organization=school)
        .exists()
    ):
        raise PermissionDenied(
            "Вы можете видеть значения этой школы, но утверждать или возвращать их не можете."
        )
    form = SheetReviewForm(request.POST)
    url = reverse("monitoring:entry", args=[point.pk, school.pk])
    if not form.is_valid():
        return _entry_page(request, point, school, sheet_review=form)
    try:
        reviewed = services.review_sheet(
            point,
            school,
            request.user,
            approve=form.approves,
            comment=form.cleaned_data["comment"].strip(),
        )
    except ValidationError as refusal:
        form.add_error(None, refusal.messages)
        return _entry_page(request, point, school, sheet_review=form)
    if not reviewed:
        messages.info(request, "Отправленных на проверку значений нет: решать нечего.")
    else:
        verb = "утверждены" if form.approves else "возвращены на доработку"
        messages.success(request, f"Значения ({len(reviewed)}) {verb}.")
    return redirect(url)
