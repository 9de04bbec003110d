from django.urls import path

from . import views

app_name = "roadmaps"

urlpatterns = [
    path("<int:pk>/", views.roadmap_detail, name="roadmap"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("events/<int:pk>/", views.event_detail, name="event"),
]
