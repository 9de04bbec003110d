from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AuditEvent, ExternalIdentity


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is read here, never written or changed: rows come only from audit.record."""

    list_display = ["at", "action", "actor", "target", "organization", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor__username", "target__username", "ip_address"]
    list_select_related = ["actor", "target", "organization"]
    date_hierarchy = "at"


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Accounts linked to the region's identity provider: the administrator may link one by hand
    (a person who came without an invitation) or remove a link."""

    list_display = ["user", "issuer", "sub", "linked_at"]
    search_fields = ["user__username", "user__email", "sub"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
