from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.ProgramList.as_view(), name="list"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/public/", views.program_public, name="public"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
]
