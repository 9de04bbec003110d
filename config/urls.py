"""The portal's URLs: each app brings its own under a prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
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
    # Stored files, for the admin's links only; the portal's pages serve files through views
    # that check access to the object the file belongs to.
    path("files/<path:name>", views.admin_file, name="admin_file"),
    path("admin/", admin.site.urls),
]
