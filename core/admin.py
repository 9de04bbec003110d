from django.contrib import admin

from .models import ImportJob, Lock, PeriodicRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that shows rows something else writes (the audit trail, triggers): nobody
    adds, changes or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "requested_by", "status", "progress", "rows", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "requested_by__username"]
    list_select_related = ["requested_by"]
    # The uploaded file itself stays out of the page: it is bytes, kept only until written.
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def has_add_permission(self, request):
        # An import is a confirmed upload of its own page, never typed in.
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    """How the periodic jobs of `PERIODIC_TASKS` went: read only, the workers write it."""

    list_display = ["name", "due_at", "started_at", "finished_at", "error"]
    readonly_fields = [f.name for f in PeriodicRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Lock)
class LockAdmin(admin.ModelAdmin):
    """Who holds which lock until when (`core.periodic.exclusive`): read only."""

    list_display = ["name", "holder", "held_until"]
    readonly_fields = [f.name for f in Lock._meta.fields]

    def has_add_permission(self, request):
        return False
