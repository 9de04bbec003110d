from django.contrib import admin

from .models import CalendarFeed, EmailOptOut, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "recipient",
        "kind",
        "created_at",
        "read_at",
        "email_state",
        "attempts",
    )
    list_filter = ("kind", "email_state")
    search_fields = ("title", "recipient__username", "recipient__email")
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("user",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "renewed_at")
    raw_id_fields = ("user",)
    exclude = ("token",)
