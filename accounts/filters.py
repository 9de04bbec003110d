import django_filters
from django import forms
from django.db.models import Q

from core.formtools import SEARCH_MAX_LENGTH

from .audit import Action
from .models import AuditEvent


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label="Событие", choices=Action.choices, empty_label="любое"
    )
    person = django_filters.CharFilter(
        label="Человек (имя или логин)", max_length=SEARCH_MAX_LENGTH, method="by_person"
    )
    since = django_filters.DateFilter(
        label="С",
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput({"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="По",
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput({"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "person", "since", "until"]

    def by_person(self, queryset, name, value):
        condition = Q()
        for role in ("actor", "target"):
            for field in ("username", "last_name", "first_name", "email"):
                condition |= Q(**{f"{role}__{field}__icontains": value})
        return queryset.filter(condition)
