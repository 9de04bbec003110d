"""Admin of the territory: regions, municipalities, organizations with their yearly statuses and
branches, who works where (also inline on the user), and the risk factors and profiles.

Foreign keys to the big tables (organizations, users, municipalities, profiles) use
autocomplete, so a form never renders a select of thousands of schools; every list selects the
related rows it shows in the same query."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from accounts import personal_data

from .models import (
    Membership,
    Municipality,
    Organization,
    Region,
    RiskFactor,
    RiskLevel,
    RiskProfile,
    SchoolStatus,
)

User = get_user_model()


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "timezone")
    search_fields = ("name", "code")
    ordering = ("name",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind", "region")
    list_select_related = ("region",)
    search_fields = ("name", "region__name")
    ordering = ("region__name", "name")


class SchoolStatusInline(admin.TabularInline):
    model = SchoolStatus
    fields = ("year", "category", "source")
    ordering = ("-year", "category")
    extra = 0


class BranchInline(admin.TabularInline):
    """The branches of a school, to read and open; a branch is edited on its own page, where its
    head school is chosen."""

    model = Organization
    fk_name = "parent"
    fields = ("short_name", "municipality", "address")
    readonly_fields = fields
    ordering = ("short_name",)
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name = "филиал"
    verbose_name_plural = "филиалы"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BranchFilter(admin.SimpleListFilter):
    title = "филиал"
    parameter_name = "branch"

    def lookups(self, request, model_admin):
        return (("yes", "филиалы"), ("no", "головные организации"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(parent__isnull=False)
        if self.value() == "no":
            return queryset.filter(parent__isnull=True)
        return queryset


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("short_name", "kind", "municipality", "region", "parent", "inn", "code")
    list_filter = ("kind", BranchFilter, "region")
    list_select_related = ("region", "municipality", "parent")
    search_fields = (
        "short_name",
        "name",
        "=inn",
        "code",
        "=results_code",
        "municipality__name",
    )
    ordering = ("short_name",)
    autocomplete_fields = ("municipality", "parent")
    inlines = (SchoolStatusInline, BranchInline)
    # Thousands of schools: a filtered list does not count the whole table again.
    show_full_result_count = False
    # Sites typed without a scheme are https today (and Django 6 assumes so too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind")}),
        ("Территория", {"fields": ("region", "municipality", "parent")}),
        (
            "Реквизиты",
            {"fields": ("inn", "code", "results_code", "address", "email", "website")},
        ),
    )


@admin.register(SchoolStatus)
class SchoolStatusAdmin(admin.ModelAdmin):
    list_display = ("school", "year", "category", "source")
    list_filter = ("year", "category", "school__region")
    list_select_related = ("school",)
    search_fields = ("school__short_name", "school__name", "source")
    ordering = ("-year", "school__short_name", "category")
    autocomplete_fields = ("school",)
    show_full_result_count = False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "position")
    list_filter = ("role", "organization__kind", "organization__region")
    list_select_related = ("user", "organization")
    search_fields = (
        "user__username",
        "user__last_name",
        "user__first_name",
        "user__email",
        "organization__short_name",
        "organization__name",
        "position",
    )
    ordering = ("organization__short_name", "user__username")
    autocomplete_fields = ("user", "organization")
    show_full_result_count = False


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("organization", "role", "position")
    autocomplete_fields = ("organization",)
    ordering = ("organization__short_name",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Django's user admin, with where the person works, and the two 152-ФЗ actions: switching
    an account off (sessions, feeds, tokens, pending invitations end) and erasing a person
    (the row anonymised in place, what they entered kept)."""

    inlines = (MembershipInline,)
    actions = ["deactivate", "erase"]

    @admin.action(description="Отключить учётные записи (завершить сеансы, календари, токены)")
    def deactivate(self, request, queryset):
        for user in queryset:
            personal_data.deactivate(user, by=request.user, request=request)
        self.message_user(request, f"Отключено учётных записей: {queryset.count()}.")

    @admin.action(description="Обезличить (152-ФЗ): имя заменить на «удалённый пользователь»")
    def erase(self, request, queryset):
        people = [user for user in queryset if user.pk != request.user.pk]
        for user in people:
            personal_data.erase(user, by=request.user, request=request)
        self.message_user(request, f"Обезличено учётных записей: {len(people)}.")


@admin.register(RiskFactor)
class RiskFactorAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "group", "order")
    list_filter = ("group",)
    search_fields = ("code", "title", "group", "description")
    ordering = ("order", "code")


class RiskLevelInline(admin.TabularInline):
    model = RiskLevel
    fields = ("factor", "level")
    ordering = ("factor__order", "factor__code")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("factor")


@admin.register(RiskProfile)
class RiskProfileAdmin(admin.ModelAdmin):
    list_display = ("school", "assessed_on", "status", "source", "created_by")
    list_filter = ("status", "school__region")
    list_select_related = ("school", "created_by")
    search_fields = ("school__short_name", "school__name", "source")
    ordering = ("school__short_name", "-assessed_on")
    autocomplete_fields = ("school", "created_by")
    date_hierarchy = "assessed_on"
    inlines = (RiskLevelInline,)


@admin.register(RiskLevel)
class RiskLevelAdmin(admin.ModelAdmin):
    list_display = ("profile", "factor", "level")
    list_filter = ("level", "factor__group")
    list_select_related = ("profile__school", "factor")
    search_fields = ("profile__school__short_name", "factor__code", "factor__title")
    ordering = ("profile__school__short_name", "-profile__assessed_on", "factor__order")
    autocomplete_fields = ("profile", "factor")
    show_full_result_count = False
