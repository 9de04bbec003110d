from django.urls import path

from . import views
from .reports import views as reports

app_name = "monitoring"

urlpatterns = [
    path("points/<int:pk>/", views.point_detail, name="point"),
    path("points/<int:pk>/schools/<int:school_pk>/", views.entry, name="entry"),
    path("values/<int:pk>/review/", views.review, name="review"),
    path("reports/<slug:slug>/<int:pk>/", reports.report_page, name="report"),
    path("reports/<slug:slug>/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/<slug:slug>/<int:pk>/xlsx/", reports.report_xlsx, name="report_xlsx"),
]
