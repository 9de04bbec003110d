from django.urls import path

from . import import_views, queue_views, setup_views, views

app_name = "monitoring"

urlpatterns = [
    path("points/<int:pk>/", views.point_detail, name="point"),
    path("points/<int:pk>/queue/", queue_views.queue, name="queue"),
    path("points/<int:pk>/schools/<int:school_pk>/", views.entry, name="entry"),
    path("values/<int:pk>/review/", views.review, name="review"),
    path(
        "points/<int:pk>/schools/<int:school_pk>/review/",
        views.review_sheet,
        name="review_sheet",
    ),
    # Set-up (monitoring/setup_views.py).
    path("program/<int:pk>/points/setup/", setup_views.points, name="setup_points"),
    path("points/<int:pk>/edit/", setup_views.point_edit, name="point_edit"),
    path("points/<int:pk>/delete/", setup_views.point_delete, name="point_delete"),
    path("program/<int:pk>/indicators/setup/", setup_views.indicators, name="setup_indicators"),
    path(
        "program/<int:pk>/indicators/standard/",
        setup_views.standard_indicators,
        name="standard_indicators",
    ),
    path("indicators/<int:pk>/edit/", setup_views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", setup_views.indicator_delete, name="indicator_delete"),
    # Import of values (monitoring/import_views.py).
    path("program/<int:pk>/import/", import_views.import_values, name="import_values"),
    path(
        "program/<int:pk>/import/confirm/",
        import_views.import_values_confirm,
        name="import_values_confirm",
    ),
    path(
        "program/<int:pk>/import/jobs/<uuid:job_id>/",
        import_views.import_values_job,
        name="import_values_job",
    ),
    path(
        "program/<int:pk>/import/template.xlsx",
        import_views.import_values_template,
        name="import_values_template",
    ),
    # Import of assessment results at a point (monitoring/import_views.py).
    path("points/<int:pk>/results/", import_views.import_results, name="import_results"),
    path(
        "points/<int:pk>/results/confirm/",
        import_views.import_results_confirm,
        name="import_results_confirm",
    ),
    path(
        "points/<int:pk>/results/jobs/<uuid:job_id>/",
        import_views.import_results_job,
        name="import_results_job",
    ),
    path("results/template.xlsx", import_views.results_template, name="results_template"),
]
