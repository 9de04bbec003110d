"""The schools of a user's territory, with their status categories and the programs they take
part in: filters, sorting, pages and an Excel export. It gathers from schools and programs, so it
sits above both, as the school's own page does."""

import django_filters
from django.db.models import Prefetch

from core.lists import ListPage
from programs.models import Participant, Program
from schools.filters import SchoolFilter
from schools.models import Municipality, Organization, SchoolStatus
from schools.tables import SchoolTable


class SchoolProgramFilter(SchoolFilter):
    """The school list's filters with the program a school takes part in."""

    program = django_filters.ModelChoiceFilter(
        label="Участвует в программе",
        queryset=Program.objects.none(),
        method="in_program",
        empty_label="в любой или ни в какой",
    )

    class Meta(SchoolFilter.Meta):
        fields = [*SchoolFilter.Meta.fields, "program"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["program"].queryset = Program.objects.visible_to(user)

    def in_program(self, queryset, name, value):
        return queryset.filter(pk__in=value.participants.values("organization"))


class SchoolListView(ListPage):
    table_class = SchoolTable
    filterset_class = SchoolProgramFilter
    template_name = "schools/organization_list.html"
    export_name = "Школы"

    def get_filterset_kwargs(self):
        return {"user": self.request.user}

    def get_queryset(self):
        user = self.request.user
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
