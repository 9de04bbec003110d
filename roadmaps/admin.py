"""Admin of roadmaps: a roadmap with its items in order, items with their history, progress
reports with evidence, events with attendance."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, Event, Evidence, ItemExecution, ItemReport, Roadmap, RoadmapItem
from .services import delete_items

DELETED_IN_ADMIN = "Удалено в администрировании"


def derive_dates_if_untyped(form):
    """Fill an item's dates from its deadline wording when the wording changed and no date was
    typed. Typed dates always win: a person who enters «до 31.05» by hand knows better than the
    parser, and an item whose wording did not change keeps whatever dates it has."""
    item = form.instance
    if "schedule_text" not in form.changed_data or item.starts_on or item.due_on:
        return
    recurring = item.recurring
    item.apply_schedule()
    # A ticked «ежегодно» in the same form is typed too.
    if "recurring" in form.changed_data:
        item.recurring = recurring


class RoadmapItemInline(admin.TabularInline):
    model = RoadmapItem
    fields = ("number", "order", "title", "schedule_text", "starts_on", "due_on", "status")
    ordering = ("order", "pk")
    show_change_link = True
    extra = 0
    formfield_overrides = {
        # The title is a long text; two rows keep the table readable.
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})},
    }


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "program", "organization", "pair")
    list_filter = ("level", "program")
    list_select_related = (
        "program",
        "organization",
        "pair__curator_school",
        "pair__supported_school",
    )
    search_fields = (
        "title",
        "organization__short_name",
        "pair__curator_school__short_name",
        "pair__supported_school__short_name",
        "program__short_title",
    )
    ordering = ("program__short_title", "level", "title")
    autocomplete_fields = ("organization", "pair")
    inlines = (RoadmapItemInline,)

    def delete_model(self, request, obj):
        # A roadmap's items go as a set, with their history and the figures' change marks,
        # instead of a few queries per item; the roadmap itself then goes as usual.
        delete_items(obj.items.all(), request.user, reason=DELETED_IN_ADMIN)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        delete_items(
            RoadmapItem.objects.filter(roadmap__in=queryset), request.user, reason=DELETED_IN_ADMIN
        )
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        if formset.model is RoadmapItem:
            for item_form in formset.forms:
                if item_form.has_changed() and item_form not in formset.deleted_forms:
                    derive_dates_if_untyped(item_form)
        super().save_formset(request, form, formset, change)


class ItemExecutionInline(admin.TabularInline):
    """The responsible organizations, each with its own state of the item."""

    model = ItemExecution
    fields = ("organization", "status", "completed_on")
    autocomplete_fields = ("organization",)
    extra = 0


@admin.register(RoadmapItem)
class RoadmapItemAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "short_title",
        "roadmap",
        "module",
        "schedule_text",
        "starts_on",
        "due_on",
        "status",
    )
    list_display_links = ("number", "short_title")
    list_filter = ("status", "recurring", "roadmap__level", "roadmap__program")
    list_select_related = ("roadmap", "module")
    search_fields = ("number", "title", "schedule_text", "responsible_note", "roadmap__title")
    ordering = ("roadmap__title", "order", "pk")
    autocomplete_fields = ("roadmap", "module", "target", "risk_factors")
    inlines = (ItemExecutionInline,)
    show_full_result_count = False

    def delete_queryset(self, request, queryset):
        # Thousands of items (a roadmap's, a school's) in a few statements, with their history
        # and the figures' change marks, instead of a few queries per item.
        delete_items(queryset, request.user, reason=DELETED_IN_ADMIN)

    fieldsets = (
        (None, {"fields": ("roadmap", "module", "number", "order", "title")}),
        (
            "Сроки",
            {
                "fields": ("schedule_text", ("starts_on", "due_on"), "recurring"),
                "description": "Если даты не указаны, они рассчитываются по сроку реализации.",
            },
        ),
        (
            "Исполнение",
            {
                "fields": (
                    "responsible_note",
                    "expected_result",
                    "target",
                    "risk_factors",
                    ("status", "completed_on"),
                )
            },
        ),
    )

    @admin.display(description="мероприятие дорожной карты", ordering="title")
    def short_title(self, obj):
        return Truncator(obj.title).words(12)

    def save_model(self, request, obj, form, change):
        derive_dates_if_untyped(form)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """The item's state follows its executions (`RoadmapItem.derive_status`) once they
        are saved."""
        super().save_related(request, form, formsets, change)
        item = form.instance
        before = (item.status, item.completed_on)
        item.derive_status()
        if (item.status, item.completed_on) != before:
            item.save()


@admin.register(ItemExecution)
class ItemExecutionAdmin(admin.ModelAdmin):
    """Each responsible organization's execution; a change here moves the item's state."""

    list_display = ("item", "organization", "status", "completed_on")
    list_filter = ("status", "item__roadmap__program")
    list_select_related = ("item", "organization")
    search_fields = ("item__title", "item__number", "organization__short_name")
    autocomplete_fields = ("item", "organization")
    ordering = ("item__roadmap__title", "item__order", "organization__short_name")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.item.derive_status()
        obj.item.save()

    def delete_model(self, request, obj):
        item = obj.item
        super().delete_model(request, obj)
        item.derive_status()
        item.save()


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("file", "original_name", "size")
    ordering = ("pk",)
    extra = 0


@admin.register(ItemReport)
class ItemReportAdmin(admin.ModelAdmin):
    list_display = ("item", "status", "organization", "author", "created_at")
    list_filter = ("status", "item__roadmap__program")
    list_select_related = ("item", "organization", "author")
    search_fields = ("text", "item__title", "item__number", "organization__short_name")
    ordering = ("-created_at",)
    autocomplete_fields = ("item", "author", "organization")
    date_hierarchy = "created_at"
    inlines = (EvidenceInline,)
    show_full_result_count = False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("original_name", "report", "size")
    list_select_related = ("report__item",)
    search_fields = ("original_name", "report__item__title")
    ordering = ("-pk",)
    autocomplete_fields = ("report",)
    show_full_result_count = False


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ("organization", "people_count", "note")
    autocomplete_fields = ("organization",)
    ordering = ("organization__short_name",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "level", "starts_at", "program", "organizer", "is_exchange")
    list_filter = ("kind", "level", "is_exchange", "program")
    list_select_related = ("program", "organizer")
    search_fields = ("title", "place", "organizer__short_name", "description")
    ordering = ("-starts_at",)
    autocomplete_fields = ("item", "organizer", "invited")
    date_hierarchy = "starts_at"
    inlines = (AttendanceInline,)
    # Links typed without a scheme are https today (and Django 6 assumes so too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("organization", "event", "people_count", "note")
    list_filter = ("event__kind", "event__program")
    list_select_related = ("organization", "event")
    search_fields = ("organization__short_name", "event__title")
    ordering = ("-event__starts_at", "organization__short_name")
    autocomplete_fields = ("event", "organization")
    show_full_result_count = False
