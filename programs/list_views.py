"""The list of programs a user sees, with filters, sorting, pages and an Excel export."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.lists import ListPage

from .filters import ProgramFilter
from .models import CuratorPair, Participant, Program
from .setup_forms import owner_choices
from .tables import ProgramTable


def count_of(queryset, field="program"):
    """A correlated COUNT per program, so that two counts do not multiply each other's rows."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ProgramListView(ListPage):
    table_class = ProgramTable
    filterset_class = ProgramFilter
    template_name = "programs/program_list.html"
    export_name = "Программы"

    def get_filterset_kwargs(self):
        return {"user": self.request.user}

    def get_queryset(self):
        return (
            Program.objects.visible_to(self.request.user)
            .select_related("region", "municipality")
            .annotate(
                supported_count=count_of(Participant.objects.supported()),
                pairs_count=count_of(CuratorPair.objects.all()),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = owner_choices(self.request.user).exists()
        return context
