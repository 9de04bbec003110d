from django.urls import path

from . import list_views, setup_views, views

app_name = "programs"

urlpatterns = [
    path("", list_views.ProgramListView.as_view(), name="list"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/public/", views.program_public, name="public"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    # Set-up by coordinators (programs/setup_views.py).
    path("new/", setup_views.program_create, name="create"),
    path("<int:pk>/setup/", setup_views.program_setup, name="setup"),
    path(
        "<int:pk>/setup/participants/",
        setup_views.participants,
        name="setup_participants",
    ),
    path("<int:pk>/setup/pairs/", setup_views.pairs, name="setup_pairs"),
    path("<int:pk>/setup/<slug:part>/", setup_views.program_parts, name="setup_parts"),
    path(
        "participants/<int:pk>/remove/",
        setup_views.participant_remove,
        name="participant_remove",
    ),
    path("pairs/<int:pk>/setup/", setup_views.pair_setup, name="setup_pair"),
    path("pairs/<int:pk>/delete/", setup_views.pair_delete, name="pair_delete"),
    path("agreements/<int:pk>/file/", setup_views.agreement_file, name="agreement_file"),
]
