from django.urls import path

from . import audit_views, views

app_name = "accounts"

urlpatterns = [
    path("audit/", audit_views.AuditListView.as_view(), name="audit"),
    path("sessions/", views.session_list, name="sessions"),
]
