from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are seen and revoked here, never made: only their owner issues them."""

    list_display = (
        "name",
        "user",
        "hint",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "hint")
    readonly_fields = ("user", "hint", "created_at", "last_used_at", "name", "expires_at")
    fields = ("user", "name", "hint", "created_at", "expires_at", "revoked_at", "last_used_at")

    def has_add_permission(self, request):
        return False
