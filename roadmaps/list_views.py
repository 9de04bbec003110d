"""The items of a program's roadmaps as one list: filters (roadmap, module, status, responsible,
late), sorting, pages and an Excel export."""

from django.views.decorators.http import require_safe

from core.access import visible_or_404
from core.lists import ListPage
from core.pickers import form_search_response
from programs.models import Program

from .filters import ItemFilter
from .models import Roadmap, RoadmapItem
from .tables import ItemTable


def _program_and_roadmaps(request, pk):
    program = visible_or_404(
        Program.objects.select_related("region", "municipality__region"), request.user, pk=pk
    )
    return program, Roadmap.objects.visible_to(request.user).filter(program=program)


class ItemListPage(ListPage):
    table_class = ItemTable
    filterset_class = ItemFilter
    template_name = "roadmaps/list/item_list.html"

    def get_queryset(self):
        self.program, self.roadmaps = _program_and_roadmaps(self.request, self.kwargs["pk"])
        return (
            RoadmapItem.objects.filter(roadmap__in=self.roadmaps)
            .select_related(
                "roadmap__program__region", "roadmap__program__municipality__region", "module"
            )
            .prefetch_related("responsible")
            # The roadmap's id between its title and the items' order: two roadmaps of one title
            # stay apart, and the order is the indexes' (item_in_order, roadmap_by_title).
            .order_by("roadmap__title", "roadmap_id", "order", "pk")
        )

    def get_filterset_kwargs(self):
        return {"program": self.program, "roadmaps": self.roadmaps, "user": self.request.user}

    def get_export_name(self):
        return f"Мероприятия дорожных карт — {self.program.short_title}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "program": self.program}


@require_safe
def item_search(request, pk):
    """Roadmaps and responsible organizations for the list's pickers, through the filter's own
    choices: what a search finds is what the filter accepts."""
    program, roadmaps = _program_and_roadmaps(request, pk)
    filterset = ItemFilter(
        None,
        queryset=RoadmapItem.objects.none(),
        program=program,
        roadmaps=roadmaps,
        user=request.user,
    )
    return form_search_response(request, filterset)
