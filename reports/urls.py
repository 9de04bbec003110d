"""A report about a subject as a page, a PDF and a workbook."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("files/<uuid:file_id>/", views.report_file, name="file"),
    path("files/<uuid:file_id>/download/", views.report_file_download, name="file_download"),
    path("<slug:slug>/<int:pk>/", views.report_page, name="report"),
    path("<slug:slug>/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<slug:slug>/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
]
