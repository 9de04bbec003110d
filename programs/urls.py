from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgramList.as_view(), name="list"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/public/", views.program_public, name="public"),
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
]
