"""Filters (django-filter): a roadmap's items on its page; events and items of a whole program."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse

from core.formtools import SEARCH_MAX_LENGTH
from core.periods import Period, period_range, period_widget
from core.pickers import use_picker
from core.search import matches
from schools.models import Organization

from .models import Event, ItemExecution, RoadmapItem
from .setup_forms import program_organizations

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Название",
        max_length=SEARCH_MAX_LENGTH,
        method=lambda queryset, name, value: queryset.filter(matches(value, ("title",))),
    )
    kind = django_filters.ChoiceFilter(
        label="Форма", choices=Event.Kind.choices, empty_label="любая"
    )
    level = django_filters.ChoiceFilter(
        label="Уровень", choices=Event.Level.choices, empty_label="любой"
    )
    is_exchange = django_filters.BooleanFilter(
        label="Обмен опытом",
        widget=forms.Select(choices=[("", "все"), ("true", "да"), ("false", "нет")]),
    )
    period = django_filters.ChoiceFilter(
        label="Период", choices=Period.choices, method="in_period", widget=period_widget()
    )
    starts_from = django_filters.DateFilter(
        label="С", field_name="starts_at", lookup_expr="date__gte", widget=DATE_WIDGET
    )
    starts_to = django_filters.DateFilter(
        label="По", field_name="starts_at", lookup_expr="date__lte", widget=DATE_WIDGET
    )

    class Meta:
        model = Event
        fields = ["q", "kind", "level", "is_exchange", "period", "starts_from", "starts_to"]

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        # Today in the program region's date: the list is shown in the region's time.
        self.today = today

    def in_period(self, queryset, name, value):
        first, last = period_range(value, self.today)
        return queryset.filter(starts_at__date__gte=first, starts_at__date__lte=last)


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Текст", max_length=SEARCH_MAX_LENGTH, method="search")
    roadmap = django_filters.ModelChoiceFilter(
        label="Дорожная карта", queryset=None, empty_label="любая"
    )
    module = django_filters.ModelChoiceFilter(label="Модуль", queryset=None, empty_label="любой")
    status = django_filters.MultipleChoiceFilter(
        label="Состояние",
        choices=RoadmapItem.Status.choices,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    responsible = django_filters.ModelChoiceFilter(
        label="Ответственный", queryset=None, method="by_responsible", empty_label="любой"
    )
    late = django_filters.BooleanFilter(
        label="Просрочено",
        method="only_late",
        widget=forms.Select(choices=[("", "все"), ("true", "да"), ("false", "нет")]),
    )
    period = django_filters.ChoiceFilter(
        label="Срок", choices=Period.choices, method="due_in_period", widget=period_widget()
    )
    due_from = django_filters.DateFilter(
        label="Срок с", field_name="due_on", lookup_expr="gte", widget=DATE_WIDGET
    )
    due_to = django_filters.DateFilter(
        label="Срок по", field_name="due_on", lookup_expr="lte", widget=DATE_WIDGET
    )
    undated = django_filters.BooleanFilter(
        label="Даты",
        method="only_undated",
        widget=forms.Select(choices=[("", "все"), ("true", "без дат"), ("false", "с датами")]),
    )

    # A national program has 5,000 roadmaps and as many responsible organizations: both are
    # picked by a search (core.pickers), answered by `roadmaps:items_search` with these fields.
    search_fields = {"roadmap": ("title",), "responsible": ("short_name", "name")}

    class Meta:
        model = RoadmapItem
        fields = [
            "q",
            "roadmap",
            "module",
            "status",
            "responsible",
            "late",
            "period",
            "due_from",
            "due_to",
            "undated",
        ]

    def __init__(self, *args, program, roadmaps, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["roadmap"].queryset = roadmaps.order_by("title")
        self.filters["module"].queryset = program.modules.all()
        self.program = program
        # Whom an item may name as responsible (the item form's choices), among the
        # organizations the user sees.
        self.filters["responsible"].queryset = (
            Organization.objects.visible_to(user)
            .filter(pk__in=program_organizations(program, user).values("pk"))
            .order_by("short_name")
        )
        search_url = reverse("roadmaps:items_search", args=[program.pk])
        for name in self.search_fields:
            use_picker(self.form.fields[name], search_url)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            matches(value, ("title", "expected_result", "responsible_note")) | Q(number=value)
        )

    def by_responsible(self, queryset, name, value):
        return queryset.filter(
            pk__in=ItemExecution.objects.filter(organization=value).values("item")
        )

    def due_in_period(self, queryset, name, value):
        """Items due within the period, counted in the program region's date."""
        first, last = period_range(value, self.program.local_today())
        return queryset.filter(due_on__gte=first, due_on__lte=last)

    def only_undated(self, queryset, name, value):
        undated = queryset.undated()
        if value:
            return undated
        return queryset.exclude(pk__in=undated.values("pk"))

    def only_late(self, queryset, name, value):
        late = queryset.late(programs=[self.program])
        if value:
            return late
        return queryset.exclude(pk__in=late.values("pk"))


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
        self.roadmap = roadmap
        self.filters["responsible"].queryset = (
            Organization.objects.visible_to(user)
            .filter(responsible_items__roadmap=roadmap)
            .distinct()
            .order_by("short_name")
        )

    def filter_late(self, queryset, name, value):
        return queryset.late(programs=[self.roadmap.program]) if value else queryset
