"""The schools of a user's territory, with their status categories and programs: filters,
sorting, pages and an Excel export."""

from django.apps import apps
from django.db.models import Prefetch
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.exports import XlsxExportMixin

from .filters import SchoolFilter
from .models import Municipality, Organization, SchoolStatus
from .tables import SchoolTable


class SchoolListView(XlsxExportMixin, SingleTableMixin, FilterView):
    table_class = SchoolTable
    filterset_class = SchoolFilter
    template_name = "schools/organization_list.html"
    paginate_by = 50
    export_name = "Школы"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_queryset(self):
        user = self.request.user
        # `schools` imports no other app: the programs are read through the app registry.
        Participant = apps.get_model("programs", "Participant")
        Program = apps.get_model("programs", "Program")
        statuses = SchoolStatus.objects.order_by("-year", "category")
        year = self.request.GET.get("year", "")
        if year.isdecimal():
            statuses = statuses.filter(year=int(year))
        return (
            Organization.objects.visible_to(user)
            .schools()
            .select_related("region", "municipality", "parent")
            .prefetch_related(
                Prefetch("statuses", queryset=statuses, to_attr="listed_statuses"),
                Prefetch(
                    "participations",
                    queryset=Participant.objects.filter(
                        program__in=Program.objects.visible_to(user)
                    ).select_related("program"),
                    to_attr="listed_participations",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = Municipality.objects.covered_by(
            self.request.user, coordinator=True
        ).exists()
        return context
