from django.shortcuts import render
from django.utils import timezone

from schools.access import visible_or_404

from .models import Event, Roadmap, RoadmapItem


def roadmap_detail(request, pk):
    roadmap = visible_or_404(Roadmap.objects.select_related("program"), request.user, pk=pk)
    items = roadmap.items.select_related("module").prefetch_related("responsible")
    return render(
        request,
        "roadmaps/roadmap_detail.html",
        {"roadmap": roadmap, "items": items, "today": timezone.localdate()},
    )


def item_detail(request, pk):
    item = visible_or_404(
        RoadmapItem.objects.select_related("roadmap__program", "module"), request.user, pk=pk
    )
    return render(
        request,
        "roadmaps/item_detail.html",
        {"item": item, "reports": item.reports.select_related("author", "organization")},
    )


def event_detail(request, pk):
    event = visible_or_404(
        Event.objects.select_related("program", "organizer"), request.user, pk=pk
    )
    return render(
        request,
        "roadmaps/event_detail.html",
        {
            "event": event,
            "invited": event.invited.all(),
            "attendances": event.attendances.select_related("organization"),
        },
    )
