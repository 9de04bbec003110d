"""The dashboards: a program's, a territory's, one indicator's, a point's completeness, an
effectiveness figure's rows."""

from django.urls import path

from . import expertise_views, views

app_name = "dashboards"

urlpatterns = [
    path("program/<int:pk>/", views.dashboard, name="dashboard"),
    path("territory/", views.territory, name="territory"),
    path("indicators/<int:pk>/", views.IndicatorSchoolsPage.as_view(), name="indicator_dashboard"),
    path("indicators/<int:pk>/chart/", views.indicator_chart, name="indicator_chart"),
    path(
        "indicators/<int:pk>/effectiveness/",
        views.effectiveness_detail,
        name="effectiveness",
    ),
    path("points/<int:pk>/completeness/", views.CompletenessPage.as_view(), name="completeness"),
    path("program/<int:pk>/expertise/", expertise_views.expertise_detail, name="expertise"),
]
