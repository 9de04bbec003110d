"""The list of programs a user sees, with filters, sorting, pages and an Excel export."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import XlsxExportMixin
from core.pagination import PagedList

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


class ProgramListView(PagedList, XlsxExportMixin, SingleTableMixin, FilterView):
    table_class = ProgramTable
    filterset_class = ProgramFilter
    template_name = "programs/program_list.html"
    export_name = "Программы"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

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
