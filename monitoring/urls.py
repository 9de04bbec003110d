from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("points/<int:pk>/", views.point_detail, name="point"),
]
