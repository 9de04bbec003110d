from django.contrib import admin

from .models import Forecast, SchoolSignals


@admin.register(Forecast)
class ForecastAdmin(admin.ModelAdmin):
    """Read only: the rows are written by the recomputation, never by hand."""

    list_display = ("school", "indicator", "program", "at_risk", "p_miss_next", "p_miss_final")
    list_filter = ("at_risk", "confidence", "program")
    search_fields = ("school__short_name", "indicator__title")
    list_select_related = ("school", "indicator", "program")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SchoolSignals)
class SchoolSignalsAdmin(admin.ModelAdmin):
    """Read only, as the forecasts."""

    list_display = ("school", "program", "items_late", "events_missed", "values_late")
    list_filter = ("program",)
    search_fields = ("school__short_name",)
    list_select_related = ("school", "program")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
