"""Admin of notices: what was told to whom and whether its letter went out; e-mail choices,
calendar addresses (the token itself is never shown), invitations, the consultation line."""

from django.contrib import admin

from .models import CalendarFeed, Consultation, EmailOptOut, Invitation, Notification


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
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind")
    list_filter = ("kind",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "renewed_at")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    exclude = ("token",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "pair", "created_at", "sent_count", "signed_in")
    list_select_related = (
        "user",
        "organization",
        "pair__curator_school",
        "pair__supported_school",
    )
    search_fields = ("user__username", "user__email", "user__last_name", "organization__short_name")
    raw_id_fields = ("user", "invited_by", "organization", "pair")

    @admin.display(boolean=True, description="входил")
    def signed_in(self, invitation):
        return invitation.user.last_login is not None


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ("topic", "program", "organization", "asked_at", "answered_at", "is_faq")
    list_filter = ("is_faq", "program")
    list_select_related = ("program", "organization")
    search_fields = ("topic", "question", "answer", "organization__short_name")
    raw_id_fields = ("program", "item", "asked_by", "organization", "answered_by")
