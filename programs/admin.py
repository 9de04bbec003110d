"""Admin of programs: a program with its tasks, stages, modules, roles, results and participants
on one page; curator pairs with their curators and agreements; documents with their versions,
reviews and history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.text import shorten

from .models import (
    Agreement,
    Curator,
    CuratorPair,
    Document,
    DocumentVersion,
    ExpectedResult,
    Module,
    Participant,
    ParticipantRole,
    Program,
    Review,
    Stage,
    Task,
)


def short(text):
    return shorten(text, 90)


class ProgramPartInline(admin.TabularInline):
    """A part of a program listed in its fixed order."""

    ordering = ("order", "pk")
    extra = 0


class TaskInline(ProgramPartInline):
    model = Task
    fields = ("order", "number", "text")


class StageInline(ProgramPartInline):
    model = Stage
    fields = ("order", "title", "starts_on", "ends_on")


class ModuleInline(ProgramPartInline):
    model = Module
    fields = ("order", "title", "description")


class ParticipantRoleInline(ProgramPartInline):
    model = ParticipantRole
    fields = ("order", "title", "organization", "functions")
    autocomplete_fields = ("organization",)


class ExpectedResultInline(ProgramPartInline):
    model = ExpectedResult
    fields = ("order", "text")


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = ("organization", "role", "note")
    autocomplete_fields = ("organization",)
    ordering = ("role", "organization__short_name")
    extra = 0

    def get_queryset(self, request):
        # Each row is titled with its participant's name, which is the organization's.
        return super().get_queryset(request).select_related("organization")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = (
        "short_title",
        "level",
        "owner",
        "region",
        "municipality",
        "starts_on",
        "ends_on",
        "status",
        "is_public",
    )
    list_filter = ("level", "status", "is_public", "region")
    list_select_related = ("owner", "region", "municipality")
    search_fields = ("short_title", "title", "order_number", "owner__short_name")
    ordering = ("-starts_on", "short_title")
    autocomplete_fields = ("owner", "operator", "municipality")
    inlines = (
        TaskInline,
        StageInline,
        ModuleInline,
        ParticipantRoleInline,
        ExpectedResultInline,
        ParticipantInline,
    )
    fieldsets = (
        (None, {"fields": ("title", "short_title", "level", "status", "is_public")}),
        ("Кто проводит", {"fields": ("owner", "operator", "region", "municipality")}),
        ("Сроки и приказ", {"fields": ("starts_on", "ends_on", "order_number", "order_date")}),
        (None, {"fields": ("order_title", "goal", "description")}),
    )


class ProgramPartAdmin(admin.ModelAdmin):
    """The parts of a program on their own pages, for search across programs."""

    list_filter = ("program",)
    list_select_related = ("program",)
    ordering = ("program__short_title", "order", "pk")


@admin.register(Task)
class TaskAdmin(ProgramPartAdmin):
    list_display = ("number", "task", "program", "order")
    search_fields = ("number", "text", "program__short_title")

    @admin.display(description="задача", ordering="text")
    def task(self, obj):
        return short(obj.text)


@admin.register(Stage)
class StageAdmin(ProgramPartAdmin):
    list_display = ("title", "program", "starts_on", "ends_on", "order")
    search_fields = ("title", "program__short_title")


@admin.register(Module)
class ModuleAdmin(ProgramPartAdmin):
    list_display = ("title", "program", "order")
    search_fields = ("title", "program__short_title")


@admin.register(ExpectedResult)
class ExpectedResultAdmin(ProgramPartAdmin):
    list_display = ("result", "program", "order")
    search_fields = ("text", "program__short_title")

    @admin.display(description="результат", ordering="text")
    def result(self, obj):
        return short(obj.text)


@admin.register(ParticipantRole)
class ParticipantRoleAdmin(ProgramPartAdmin):
    list_display = ("title", "organization", "program", "order")
    list_select_related = ("program", "organization")
    search_fields = ("title", "functions", "organization__short_name", "program__short_title")
    autocomplete_fields = ("organization",)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("organization", "role", "program", "note")
    list_filter = ("role", "program")
    list_select_related = ("organization", "program")
    search_fields = ("organization__short_name", "organization__name", "program__short_title")
    ordering = ("program__short_title", "role", "organization__short_name")
    autocomplete_fields = ("organization",)
    show_full_result_count = False


class CuratorInline(admin.TabularInline):
    model = Curator
    fields = ("full_name", "user", "organization", "position", "appointed_on")
    autocomplete_fields = ("user", "organization")
    ordering = ("full_name", "pk")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class AgreementInline(admin.TabularInline):
    model = Agreement
    fields = ("number", "signed_on", "file", "note")
    ordering = ("-signed_on", "pk")
    extra = 0


@admin.register(CuratorPair)
class CuratorPairAdmin(admin.ModelAdmin):
    list_display = ("number", "curator_school", "supported_school", "program")
    list_display_links = ("number", "curator_school")
    list_filter = ("program",)
    list_select_related = ("curator_school", "supported_school", "program")
    search_fields = (
        "number",
        "curator_school__short_name",
        "supported_school__short_name",
        "program__short_title",
    )
    ordering = ("program__short_title", "number", "pk")
    autocomplete_fields = ("curator_school", "supported_school")
    inlines = (CuratorInline, AgreementInline)
    show_full_result_count = False


# A pair's name is its two schools.
PAIR_SCHOOLS = ("pair__curator_school", "pair__supported_school")


@admin.register(Curator)
class CuratorAdmin(admin.ModelAdmin):
    list_display = ("display_name", "organization", "pair", "position", "appointed_on")
    list_filter = ("pair__program",)
    list_select_related = ("user", "organization", *PAIR_SCHOOLS)
    search_fields = (
        "full_name",
        "user__username",
        "user__last_name",
        "organization__short_name",
        "position",
    )
    ordering = ("full_name", "pk")
    autocomplete_fields = ("pair", "user", "organization")

    @admin.display(description="куратор", ordering="full_name")
    def display_name(self, obj):
        return obj.display_name


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "pair", "signed_on", "note")
    list_filter = ("pair__program", ("signed_on", admin.EmptyFieldListFilter))
    list_select_related = PAIR_SCHOOLS
    search_fields = (
        "number",
        "note",
        "pair__curator_school__short_name",
        "pair__supported_school__short_name",
    )
    ordering = ("-signed_on", "pk")
    autocomplete_fields = ("pair",)


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ("number", "file", "original_name", "size", "uploaded_by", "uploaded_at", "comment")
    autocomplete_fields = ("uploaded_by",)
    ordering = ("-number",)
    extra = 0


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ("reviewer", "organization", "verdict", "comment", "created_at", "decided_at")
    autocomplete_fields = ("reviewer", "organization")
    ordering = ("-created_at",)
    extra = 0


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "organization", "program", "status", "version", "updated_at")
    list_filter = ("status", "kind", "program")
    list_select_related = ("organization", "program")
    search_fields = ("title", "organization__short_name", "organization__name")
    ordering = ("-updated_at",)
    autocomplete_fields = ("organization", "risk_factor", "uploaded_by")
    inlines = (DocumentVersionInline, ReviewInline)
    show_full_result_count = False


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "original_name", "size", "uploaded_by", "uploaded_at")
    list_filter = ("document__kind",)
    list_select_related = ("document", "uploaded_by")
    search_fields = ("original_name", "comment", "document__title")
    ordering = ("-uploaded_at",)
    autocomplete_fields = ("document", "uploaded_by")
    show_full_result_count = False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("document", "reviewer", "organization", "verdict", "created_at", "decided_at")
    list_filter = ("verdict", "document__program")
    list_select_related = ("document", "reviewer", "organization")
    search_fields = (
        "document__title",
        "reviewer__username",
        "reviewer__last_name",
        "organization__short_name",
        "comment",
    )
    ordering = ("-created_at",)
    autocomplete_fields = ("document", "reviewer", "organization")
