"""Roadmap pages: the roadmap with its items (filtered, grouped by module, status changed in
place), an item with its reports, evidence and history, and the evidence files."""

from django.contrib import messages
from django.db.models import Count, F, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import require, visible_or_404
from core.formtools import local_next
from core.history import history_rows
from core.revisions import StaleRevision
from core.uploads import file_response

from . import services
from .filters import RoadmapItemFilter
from .forms import ItemReportForm, ItemStatusForm
from .models import Event, Evidence, ItemExecution, Roadmap, RoadmapItem

PROGRAM_TZ = ("program__region", "program__municipality__region")
# Each responsible organization with its own state of the item.
EXECUTIONS = Prefetch(
    "executions",
    queryset=ItemExecution.objects.select_related("organization").order_by(
        "organization__short_name", "pk"
    ),
)
ITEM_HISTORY_FIELDS = ["status", "completed_on", "title", "schedule_text", "due_on"]


def _roadmap_page(request, roadmap, bound_forms=None):
    """The roadmap page; `bound_forms` maps an item id to its status form with errors, so a
    refused change is shown beside the row it was made in."""
    user = request.user
    bound_forms = bound_forms or {}
    items = (
        roadmap.items.select_related("module")
        .prefetch_related(EXECUTIONS)
        .annotate(reports_count=Count("reports", distinct=True))
        .order_by(F("module__order").asc(nulls_first=True), "module_id", "order", "pk")
    )
    item_filter = RoadmapItemFilter(request.GET or None, queryset=items, roadmap=roadmap, user=user)
    reportable = set(
        RoadmapItem.objects.reportable_by(user).filter(roadmap=roadmap).values_list("pk", flat=True)
    )
    rows = [
        {
            "item": item,
            "can_report": item.pk in reportable,
            "form": bound_forms.get(item.pk)
            or ItemStatusForm(
                initial={"status": services.shown_status(item, user)},
                revisioned=item,
                prefix=f"item{item.pk}",
            ),
        }
        for item in item_filter.qs
    ]
    return render(
        request,
        "roadmaps/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "filter": item_filter,
            "rows": rows,
            "progress": roadmap.items.completion(programs=[roadmap.program]),
            "can_edit": Roadmap.objects.editable_by(user).contains(roadmap),
            "filtered": item_filter.is_bound and any(item_filter.form.data.values()),
            # Where a plain (non-htmx) status change returns: this page with its filter.
            "back_url": request.get_full_path()
            if request.method == "GET"
            else roadmap.get_absolute_url(),
        },
    )


def roadmap_detail(request, pk):
    roadmap = visible_or_404(
        Roadmap.objects.select_related(*PROGRAM_TZ, "program", "organization", "pair"),
        request.user,
        pk=pk,
    )
    return _roadmap_page(request, roadmap)


def _item(request, pk):
    return visible_or_404(
        RoadmapItem.objects.select_related(
            "roadmap__program__region",
            "roadmap__program__municipality__region",
            "module",
            "target__indicator",
            "target__point",
        ),
        request.user,
        pk=pk,
    )


def item_detail(request, pk):
    """The item page; POST is a progress report with evidence."""
    item = _item(request, pk)
    can_report = RoadmapItem.objects.reportable_by(request.user).contains(item)
    form = None
    if request.method == "POST":
        require(RoadmapItem.objects.reportable_by(request.user), item)
        form = ItemReportForm(request.POST, request.FILES, revisioned=item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_progress(
                    item,
                    request.user,
                    status=data["status"],
                    text=data["text"],
                    files=data["files"],
                    completed_on=data["completed_on"],
                    seen_revision=form.seen_revision,
                )
            except StaleRevision as stale:
                form.refuse_stale(stale)
            else:
                messages.success(request, "Отчёт о ходе выполнения сохранён.")
                return redirect(item)
    elif can_report:
        form = ItemReportForm(
            initial={"status": services.shown_status(item, request.user)}, revisioned=item
        )
    # Another school's evidence on a shared item is listed only to those who may fetch it.
    reports = item.reports.select_related("author", "organization").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.visible_to(request.user))
    )
    return render(
        request,
        "roadmaps/item_detail.html",
        {
            "item": item,
            "program": item.roadmap.program,
            "executions": item.executions.select_related("organization").order_by(
                "organization__short_name", "pk"
            ),
            "risk_factors": item.risk_factors.all(),
            "reports": reports,
            "form": form,
            "history": history_rows(
                item.history.select_related("history_user"), ITEM_HISTORY_FIELDS
            ),
        },
    )


@require_POST
def item_status(request, pk):
    """Change an item's status from the roadmap list: with htmx the updated row comes back in
    place; without it the browser returns to the roadmap."""
    item = _item(request, pk)
    require(RoadmapItem.objects.reportable_by(request.user), item)
    form = ItemStatusForm(request.POST, revisioned=item, prefix=f"item{item.pk}")
    saved = False
    if form.is_valid():
        try:
            services.set_item_status(
                item,
                request.user,
                status=form.cleaned_data["status"],
                seen_revision=form.seen_revision,
            )
            saved = True
        except StaleRevision as stale:
            form.refuse_stale(stale)
    back = local_next(request, reverse("roadmaps:roadmap", args=[item.roadmap_id]))
    if request.htmx:
        item.reports_count = item.reports.count()
        if saved:
            form = ItemStatusForm(
                initial={"status": services.shown_status(item, request.user)},
                revisioned=item,
                prefix=f"item{item.pk}",
            )
        return render(
            request,
            "roadmaps/_item_row.html",
            {"item": item, "can_report": True, "form": form, "saved": saved, "back_url": back},
        )
    if not saved:
        return _roadmap_page(request, item.roadmap, {item.pk: form})
    messages.success(request, services.status_message(item, request.user))
    return redirect(back)


def evidence_file(request, pk):
    evidence = visible_or_404(Evidence.objects.all(), request.user, pk=pk)
    return file_response(evidence.file, evidence.original_name)


def event_detail(request, pk):
    """An event: when (in its region's time zone), where, who was invited and who came."""
    event = visible_or_404(
        Event.objects.select_related(
            "program__region", "program__municipality__region", "organizer", "item"
        ),
        request.user,
        pk=pk,
    )
    attendances = {a.organization_id: a for a in event.attendances.select_related("organization")}
    invited = list(event.invited.order_by("short_name"))
    # Organizations that came without an invitation are listed too.
    invited_ids = {org.pk for org in invited}
    rows = [(org, attendances.get(org.pk)) for org in invited] + [
        (a.organization, a) for org_id, a in attendances.items() if org_id not in invited_ids
    ]
    return render(
        request,
        "roadmaps/event_detail.html",
        {
            "event": event,
            "program": event.program,
            "rows": rows,
            "came": len(attendances),
            "held": event.starts_at <= timezone.now(),
            "can_edit": Event.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )
