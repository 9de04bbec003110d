"""The items of a program's roadmaps as one list: filters (roadmap, module, status, responsible,
late), sorting, pages and an Excel export."""

from django.shortcuts import render
from django_tables2 import RequestConfig

from core.access import visible_or_404
from core.exports import wants_xlsx, xlsx_response
from programs.models import Program

from .filters import ItemFilter
from .models import Roadmap, RoadmapItem
from .tables import ItemTable


def item_list(request, pk):
    program = visible_or_404(
        Program.objects.select_related("region", "municipality__region"), request.user, pk=pk
    )
    roadmaps = Roadmap.objects.visible_to(request.user).filter(program=program)
    items = (
        RoadmapItem.objects.filter(roadmap__in=roadmaps)
        .select_related(
            "roadmap__program__region", "roadmap__program__municipality__region", "module"
        )
        .prefetch_related("responsible")
        .order_by("roadmap__title", "order", "pk")
    )
    filterset = ItemFilter(request.GET or None, queryset=items, program=program, roadmaps=roadmaps)
    table = ItemTable(filterset.qs)
    if wants_xlsx(request):
        return xlsx_response(table, f"Мероприятия дорожных карт — {program.short_title}")
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "roadmaps/list/item_list.html",
        {"program": program, "filter": filterset, "table": table},
    )
