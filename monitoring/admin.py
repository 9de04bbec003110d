"""Admin of the numbers: indicators with their targets, monitoring points (closed for entry by an
action), targets, the values schools enter, approved by an action and kept with history, and
the schools' tallies of sent values (read only)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import Indicator, Measurement, MonitoringPoint, SheetTally, Target
from .services import delete_values


class TargetInline(admin.TabularInline):
    model = Target
    fields = ("point", "organization", "comparison", "value", "text")
    autocomplete_fields = ("point", "organization")
    ordering = ("point__date", "pk")
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "short_title", "program", "unit", "direction", "level", "method")
    list_display_links = ("code", "short_title")
    list_filter = ("program", "unit", "method", "level", "direction")
    list_select_related = ("program",)
    search_fields = ("code", "title", "source", "group", "program__short_title")
    ordering = ("program__short_title", "order", "code")
    inlines = (TargetInline,)

    @admin.display(description="показатель", ordering="title")
    def short_title(self, obj):
        return Truncator(obj.title).words(14)


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "date", "kind", "stage", "entry_deadline", "locked")
    list_filter = ("locked", "kind", "program")
    list_select_related = ("program",)
    search_fields = ("title", "program__short_title")
    ordering = ("program__short_title", "date")
    actions = ("close_entry",)

    @admin.action(description="Закрыть приём значений", permissions=["change"])
    def close_entry(self, request, queryset):
        # `update` skips `auto_now`: the read API's «changed since» needs the stamp.
        closed = queryset.filter(locked=False).update(locked=True, updated_at=timezone.now())
        self.message_user(request, f"Приём значений закрыт, точек мониторинга: {closed}.")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("__str__", "indicator", "point", "organization", "comparison", "value")
    list_filter = ("comparison", "indicator__program")
    list_select_related = ("indicator", "point", "organization")
    search_fields = (
        "text",
        "indicator__code",
        "indicator__title",
        "point__title",
        "organization__short_name",
    )
    ordering = ("indicator__program__short_title", "indicator__order", "point__date")
    autocomplete_fields = ("indicator", "point", "organization")
    show_full_result_count = False


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "point", "organization", "value", "status", "approved_by")
    list_filter = ("status", "point__kind", "point__program")
    list_select_related = ("indicator", "point", "organization", "approved_by")
    search_fields = (
        "organization__short_name",
        "organization__name",
        "indicator__code",
        "indicator__title",
        "comment",
    )
    ordering = ("-point__date", "indicator__order", "organization__short_name")
    autocomplete_fields = ("indicator", "point", "organization", "entered_by", "approved_by")
    show_full_result_count = False
    actions = ("approve",)

    def delete_queryset(self, request, queryset):
        # Thousands of values (a point's, a school's) in a few statements, with their history
        # and the figures' change marks, instead of a query or three per value.
        delete_values(queryset, request.user, reason="Удалено в администрировании")

    @admin.action(description="Утвердить выбранные значения", permissions=["change"])
    def approve(self, request, queryset):
        """Approve each submitted value through `Measurement.approve`, as the entry page does;
        the others are named with the reason they were not approved."""
        approved, refused = 0, {}
        # One save per value, not update(): each approval goes into the value's history and
        # raises its revision, so an entry form open elsewhere will not overwrite it.
        pending = queryset.exclude(status=Measurement.Status.APPROVED)
        for measurement in pending.select_related("indicator", "point", "organization"):
            try:
                measurement.approve(request.user)
            except ValidationError as error:
                reason = " ".join(error.messages)
                refused[reason] = refused.get(reason, 0) + 1
                continue
            measurement.save()
            approved += 1
        self.message_user(request, f"Утверждено значений: {approved}.")
        for reason, count in refused.items():
            self.message_user(request, f"Не утверждены ({count}): {reason}", messages.WARNING)


@admin.register(SheetTally)
class SheetTallyAdmin(ReadOnlyAdmin):
    """Read only: the database's triggers write these rows as the values change; a row changed
    or deleted by hand would no longer count the values."""

    list_display = ("point", "organization", "sent")
    list_filter = ("point__program",)
    list_select_related = ("point", "organization")
    search_fields = ("organization__short_name", "point__title")
    ordering = ("point", "organization__short_name")
    show_full_result_count = False
