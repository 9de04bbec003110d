from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The trail is read here, never written or changed: rows come only from audit.record."""

    list_display = ["at", "action", "actor", "target", "organization", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor__username", "target__username", "ip_address"]
    list_select_related = ["actor", "target", "organization"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
