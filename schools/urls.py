from django.urls import path
from django.views.generic import RedirectView

from . import import_views, views

app_name = "schools"

urlpatterns = [
    # The list gathers schools with their programs: config.school_list serves it, routed first
    # in config/urls.py at this same path; the name stays for `{% url 'schools:list' %}`.
    path("", RedirectView.as_view(pattern_name="school_list"), name="list"),
    # The school's page gathers from every app: config.views.school_detail serves it, routed
    # first in config/urls.py at this same path. The name stays so that
    # `Organization.get_absolute_url` and `{% url 'schools:organization' %}` keep working.
    path("<int:pk>/", RedirectView.as_view(pattern_name="school"), name="organization"),
    path("<int:school_pk>/risk-profiles/new/", views.risk_profile_create, name="risk_profile_new"),
    path(
        "<int:school_pk>/risk-profiles/compare/",
        views.risk_profile_compare,
        name="risk_profile_compare",
    ),
    path("risk-profiles/<int:pk>/", views.risk_profile_detail, name="risk_profile"),
    path("risk-profiles/<int:pk>/edit/", views.risk_profile_edit, name="risk_profile_edit"),
    path("import/", import_views.school_import, name="import"),
    path("import/confirm/", import_views.school_import_confirm, name="import_confirm"),
    path("import/jobs/<uuid:job_id>/", import_views.school_import_job, name="import_job"),
    path("import/template.xlsx", import_views.school_import_template, name="import_template"),
]
