"""Filters (django-filter) of the school list: what `schools` itself knows (the list adds the
program, config/school_list.py)."""

import django_filters
from django import forms
from django.db.models import Q

from core.formtools import SEARCH_MAX_LENGTH, YEAR_MAX, YEAR_MIN
from core.requests import as_id
from core.search import matches

from .models import Municipality, Organization, Region, SchoolStatus

# Beyond this many municipalities (a federal or administrator's view) the list waits for a
# region: a select of 840 options is slow to draw and no use to read.
MANY_MUNICIPALITIES = 150


def municipality_choices(user, data):
    """Municipalities to offer in a filter: those the user covers, within the chosen region."""
    covered = Municipality.objects.covered_by(user).select_related("region")
    region = as_id((data or {}).get("region"))
    if region is not None:
        return covered.filter(region_id=region)
    if covered.count() > MANY_MUNICIPALITIES:
        chosen = as_id((data or {}).get("municipality"))
        return covered.filter(pk=chosen) if chosen is not None else covered.none()
    return covered


class SchoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Название, ИНН или код", max_length=SEARCH_MAX_LENGTH, method="search"
    )
    region = django_filters.ModelChoiceFilter(
        label="Регион", queryset=Region.objects.none(), empty_label="любой"
    )
    municipality = django_filters.ModelChoiceFilter(
        label="Муниципалитет", queryset=Municipality.objects.none(), empty_label="любой"
    )
    year = django_filters.NumberFilter(
        label="Год идентификации", method="noop", min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    category = django_filters.MultipleChoiceFilter(
        label="Категория",
        choices=SchoolStatus.Category.choices,
        method="in_category",
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    class Meta:
        model = Organization
        fields = ["q", "region", "municipality", "year", "category"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = Region.objects.covered_by(user)
        self.filters["municipality"].queryset = municipality_choices(user, self.data)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            matches(value, ("short_name", "name")) | Q(inn=value) | Q(code=value)
        )

    def in_category(self, queryset, name, value):
        if not value:
            return queryset
        statuses = SchoolStatus.objects.filter(category__in=value)
        year = self.form.cleaned_data.get("year")
        if year:
            statuses = statuses.filter(year=year)
        return queryset.filter(pk__in=statuses.values("school"))

    def noop(self, queryset, name, value):
        # The year narrows the category filter; on its own it filters nothing.
        return queryset
