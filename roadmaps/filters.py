"""Filters of a roadmap's items: by status, by responsible organization, and late ones."""

import django_filters
from django import forms

from schools.models import Organization

from .models import RoadmapItem


class RoadmapItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Состояние",
        choices=RoadmapItem.Status.choices,
        empty_label="любое",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    responsible = django_filters.ModelChoiceFilter(
        label="Ответственный",
        queryset=Organization.objects.none(),
        empty_label="любой",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    late = django_filters.BooleanFilter(
        label="Только просроченные",
        method="filter_late",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = RoadmapItem
        fields = ["status", "responsible", "late"]

    def __init__(self, *args, roadmap, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organizations responsible for this roadmap's items, and only those the user sees.
        self.filters["responsible"].queryset = (
            Organization.objects.visible_to(user)
            .filter(responsible_items__roadmap=roadmap)
            .distinct()
            .order_by("short_name")
        )

    def filter_late(self, queryset, name, value):
        return queryset.late() if value else queryset
