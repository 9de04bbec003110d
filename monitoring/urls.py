from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("points/<int:pk>/", views.point_detail, name="point"),
    path("points/<int:pk>/schools/<int:school_pk>/", views.entry, name="entry"),
    path("values/<int:pk>/review/", views.review, name="review"),
]
