from django.contrib import admin

from .models import ReportFile


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "fmt",
        "requested_by",
        "status",
        "progress",
        "created_at",
        "expires_at",
    ]
    list_filter = ["status", "fmt", "kind"]
    search_fields = ["title", "requested_by__username"]
    readonly_fields = [f.name for f in ReportFile._meta.fields]

    def has_add_permission(self, request):
        # A file is made by a worker for the person who asked for it, never typed in.
        return False
