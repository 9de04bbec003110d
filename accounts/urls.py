from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import audit_views, oidc, second_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("audit/", audit_views.AuditListView.as_view(), name="audit"),
    path("sessions/", views.session_list, name="sessions"),
    path("my-data/", views.my_data, name="my_data"),
    path("privacy/", views.privacy, name="privacy"),
    # Sign-in through the region's identity provider (404 unless it is configured).
    path("oidc/start/", login_not_required(oidc.StartView.as_view()), name="oidc_start"),
    path("oidc/callback/", login_not_required(oidc.CallbackView.as_view()), name="oidc_callback"),
    path("people/", second_factor_views.people, name="people"),
    path("second-factor/", second_factor_views.verify, name="verify"),
    path("second-factor/enrol/", second_factor_views.enrol, name="enrol"),
    path("security/", second_factor_views.settings_page, name="second_factor"),
    path(
        "people/<int:pk>/second-factor/reset/",
        second_factor_views.reset,
        name="second_factor_reset",
    ),
]
