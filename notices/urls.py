from django.urls import path

from . import consultations, views

app_name = "notices"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.notice_settings, name="settings"),
    path("settings/calendar/renew/", views.renew_feed, name="renew_feed"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/search/", views.invitation_search, name="invitation_search"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path(
        "invitations/accept/<uidb64>/<token>/",
        views.AcceptInvitationView.as_view(),
        name="accept",
    ),
    path("consultations/program/<int:pk>/", consultations.consultation_list, name="consultations"),
    path("consultations/program/<int:pk>/faq/", consultations.consultation_faq, name="faq"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("points/<int:pk>/remind/", views.remind_missing, name="remind_missing"),
    path("calendar/<str:token>.ics", views.personal_feed, name="feed"),
    path("calendar/<str:token>/program/<int:pk>.ics", views.program_feed, name="program_feed"),
]
