from django.urls import path

from . import list_views, setup_views, views

app_name = "programs"

urlpatterns = [
    path("", list_views.ProgramListView.as_view(), name="list"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/public/", views.program_public, name="public"),
    path("materials/<int:pk>/file/", views.public_document_file, name="public_document_file"),
    path("documents/<int:pk>/publish/", views.document_publish, name="document_publish"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/upload/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/submit/", views.document_submit, name="document_submit"),
    path("documents/<int:pk>/review/", views.document_review, name="document_review"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("documents/versions/<int:pk>/file/", views.version_file, name="version_file"),
    path(
        "organizations/<int:organization_pk>/documents/new/",
        views.document_create,
        name="document_create",
    ),
    # Set-up by coordinators (programs/setup_views.py).
    path("new/", setup_views.program_create, name="create"),
    path("<int:pk>/setup/", setup_views.program_setup, name="setup"),
    path(
        "<int:pk>/setup/participants/",
        setup_views.participants,
        name="setup_participants",
    ),
    path(
        "<int:pk>/setup/participants/search/",
        setup_views.participants_search,
        name="setup_participants_search",
    ),
    path("<int:pk>/setup/pairs/", setup_views.pairs, name="setup_pairs"),
    path("<int:pk>/setup/pairs/search/", setup_views.pairs_search, name="setup_pairs_search"),
    path("<int:pk>/setup/<slug:part>/", setup_views.program_parts, name="setup_parts"),
    path(
        "<int:pk>/setup/<slug:part>/reorder/", setup_views.part_reorder, name="setup_parts_reorder"
    ),
    path(
        "<int:pk>/setup/<slug:part>/<int:part_pk>/move/",
        setup_views.part_move,
        name="setup_part_move",
    ),
    path(
        "participants/<int:pk>/remove/",
        setup_views.participant_remove,
        name="participant_remove",
    ),
    path("pairs/<int:pk>/setup/", setup_views.pair_setup, name="setup_pair"),
    path("pairs/<int:pk>/delete/", setup_views.pair_delete, name="pair_delete"),
    path("agreements/<int:pk>/file/", setup_views.agreement_file, name="agreement_file"),
]
