from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.notice_settings, name="settings"),
    path("settings/calendar/renew/", views.renew_feed, name="renew_feed"),
    path("calendar/<str:token>.ics", views.personal_feed, name="feed"),
    path("calendar/<str:token>/program/<int:pk>.ics", views.program_feed, name="program_feed"),
]
