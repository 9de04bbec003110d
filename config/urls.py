"""The portal's URLs: each app brings its own under a prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from accounts import recovery
from accounts import views as account_views
from api.urls import v1_urls
from core.health import health

from . import school_list, search, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.search_page, name="search"),
    path(
        "accounts/login/",
        views.SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password recovery by e-mail (Django's views, accounts/recovery.py), open to everyone.
    path(
        "accounts/recovery/",
        login_not_required(recovery.RecoveryView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/recovery/sent/",
        login_not_required(recovery.RecoveryDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/recovery/<uidb64>/<token>/",
        login_not_required(recovery.RecoveryConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/recovery/done/",
        login_not_required(recovery.RecoveryCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("accounts/", include("accounts.urls")),
    # A school's page gathers from every app; `schools:organization` names the same path.
    path("schools/<int:pk>/", views.school_detail, name="school"),
    # So does the school list, with the programs each school takes part in (`schools:list`).
    path("schools/", school_list.SchoolListView.as_view(), name="school_list"),
    path("schools/", include("schools.urls")),
    path("programs/", include("programs.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("expertise/", include("expertise.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("reports/", include("reports.urls")),
    path("notices/", include("notices.urls")),
    path("api/v1/", v1_urls),
    path("", include("api.urls")),
    # Stored files, for the admin's links only; the portal's pages serve files through views
    # that check access to the object the file belongs to.
    path("files/<path:name>", views.admin_file, name="admin_file"),
    path("admin/", admin.site.urls),
    # Answered by core.health.HealthMiddleware before any other middleware; named here too.
    path("health/", login_not_required(health), name="health"),
]
