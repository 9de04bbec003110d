"""A point's queue for its approvers: every school's sheet at a glance, and a decision on many
sheets at once — approve them, or return them with one remark — confirmed on a page of its own
before anything changes (as NetBox's bulk views do)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from programs.models import Program

from . import services
from .forms import SheetsDecisionForm
from .models import Measurement
from .views import _point


def _rows(point, user, schools):
    """One row per school: whether its sheet is complete (`MonitoringPoint.complete_schools`),
    where it stands (`SheetProgress`), how many of its values wait for this approver, and how
    many of those changed since they were last approved. A fixed number of queries."""
    schools = list(schools)
    ids = [school.pk for school in schools]
    progress = Measurement.objects.visible_to(user).sheet_progress([point], ids)
    approvable = Measurement.objects.approvable_by(user).filter(point=point, organization__in=ids)
    waiting = dict(
        approvable.order_by()
        .values("organization")
        .annotate(
            n=Count("pk", filter=Q(status=Measurement.Status.SUBMITTED)),
        )
        .values_list("organization", "n")
    )
    changed = dict(
        approvable.filter(status=Measurement.Status.SUBMITTED)
        .changed_since_approval()
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values_list("organization", "n")
    )
    # Whether a sheet is complete is the point's one rule, not a count made here.
    complete = set(
        point.complete_schools().filter(organization__in=ids).values_list("organization", flat=True)
    )
    return [
        {
            "school": school,
            "complete": school.pk in complete,
            "progress": progress[point.pk, school.pk],
            "waiting": waiting.get(school.pk, 0),
            "changed": changed.get(school.pk, 0),
        }
        for school in schools
    ]


def queue(request, pk):
    point = _point(request, pk)
    user = request.user
    approvable = Measurement.objects.approvable_by(user).filter(point=point)
    may_chase = Program.objects.editable_by(user).contains(point.program)
    if not may_chase and not approvable.exists():
        raise PermissionDenied(
            "Очередь проверки — для тех, кто утверждает значения этой точки: вы можете видеть "
            "точку, но решать по значениям не можете."
        )
    schools = point.program.supported_schools().visible_to(user).order_by("short_name")
    decidable = schools.filter(
        pk__in=approvable.filter(status__in=Measurement.SENT).values("organization")
    )
    form = SheetsDecisionForm(request.POST or None, schools=decidable)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["schools"]
        if request.POST.get("confirm") != "1":
            return render(
                request,
                "monitoring/queue_confirm.html",
                {
                    "point": point,
                    "program": point.program,
                    "form": form,
                    "rows": _rows(point, user, chosen),
                },
            )
        decided = services.decide_sheets(
            point, chosen, user, approve=form.approves, comment=form.cleaned_data["remark"]
        )
        verb = "утверждено" if form.approves else "возвращено на доработку"
        messages.success(request, f"Значений {verb}: {decided}; школ: {len(chosen)}.")
        return redirect("monitoring:queue", pk=point.pk)
    rows = _rows(point, user, schools)
    return render(
        request,
        "monitoring/queue.html",
        {
            "point": point,
            "program": point.program,
            "form": form,
            "rows": rows,
            "decidable": {school.pk for school in decidable},
            "may_chase": may_chase,
        },
    )
