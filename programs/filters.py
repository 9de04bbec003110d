"""Filters (django-filter) of the program list."""

import django_filters
from django.db.models import Q

from core.formtools import SEARCH_MAX_LENGTH, YEAR_MAX, YEAR_MIN
from core.search import matches
from schools.filters import municipality_choices
from schools.models import Municipality, Region

from .models import Program


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Название или приказ", max_length=SEARCH_MAX_LENGTH, method="search"
    )
    level = django_filters.ChoiceFilter(
        label="Уровень", choices=Program.Level.choices, empty_label="любой"
    )
    status = django_filters.ChoiceFilter(
        label="Состояние", choices=Program.Status.choices, empty_label="любое"
    )
    region = django_filters.ModelChoiceFilter(
        label="Регион", queryset=Region.objects.all(), empty_label="любой"
    )
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=Municipality.objects.none(), empty_label="любой"
    )
    year = django_filters.NumberFilter(
        label="Год", method="in_year", min_value=YEAR_MIN, max_value=YEAR_MAX
    )

    class Meta:
        model = Program
        fields = ["q", "level", "status", "region", "municipality", "year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["region"].queryset = Region.objects.covered_by(user)
            self.filters["municipality"].queryset = municipality_choices(user, self.data)

    def search(self, queryset, name, value):
        return queryset.filter(matches(value, ("title", "short_title", "order_number")))

    def in_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(
            Q(starts_on__year__lte=year) | Q(starts_on__isnull=True),
            Q(ends_on__year__gte=year) | Q(ends_on__isnull=True),
        )
