from django.urls import path

from . import import_views, list_views, views

app_name = "schools"

urlpatterns = [
    path("", list_views.SchoolListView.as_view(), name="list"),
    path("<int:pk>/", views.organization_detail, name="organization"),
    path("risk-profiles/<int:pk>/", views.risk_profile_detail, name="risk_profile"),
    path("import/", import_views.school_import, name="import"),
    path("import/confirm/", import_views.school_import_confirm, name="import_confirm"),
    path("import/template.xlsx", import_views.school_import_template, name="import_template"),
]
