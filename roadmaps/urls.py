from django.urls import path

from . import events, import_views, list_views, setup_views, views

app_name = "roadmaps"

urlpatterns = [
    path("<int:pk>/", views.roadmap_detail, name="roadmap"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/status/", views.item_status, name="item_status"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    # Set-up of roadmaps and items (roadmaps/setup_views.py).
    path("program/<int:pk>/setup/", setup_views.roadmaps, name="setup"),
    path("program/<int:pk>/setup/search/", setup_views.setup_search, name="setup_search"),
    path("program/<int:pk>/items/", list_views.ItemListPage.as_view(), name="items"),
    path("program/<int:pk>/items/search/", list_views.item_search, name="items_search"),
    path("<int:pk>/setup/", setup_views.roadmap_setup, name="setup_roadmap"),
    path("<int:pk>/reorder/", setup_views.reorder, name="reorder"),
    path("items/<int:pk>/edit/", setup_views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", setup_views.item_delete, name="item_delete"),
    path("items/<int:pk>/move/", setup_views.item_move, name="item_move"),
    # Import of a roadmap from an order's table (roadmaps/import_views.py).
    path("program/<int:pk>/import/", import_views.roadmap_import, name="import"),
    path(
        "program/<int:pk>/import/search/", import_views.roadmap_import_search, name="import_search"
    ),
    path(
        "program/<int:pk>/import/preview/",
        import_views.roadmap_import_preview,
        name="import_preview",
    ),
    path(
        "program/<int:pk>/import/confirm/",
        import_views.roadmap_import_confirm,
        name="import_confirm",
    ),
    path("schedule-preview/", setup_views.schedule_preview, name="schedule_preview"),
    # Events (roadmaps/events.py).
    path("program/<int:pk>/events/", events.EventListPage.as_view(), name="events"),
    path("program/<int:pk>/calendar/", events.event_calendar, name="calendar"),
    path("program/<int:pk>/events/new/", events.event_create, name="event_create"),
    path("program/<int:pk>/events/search/", events.event_search, name="event_search"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", events.event_delete, name="event_delete"),
    path("events/<int:pk>/attendance/", events.attendance, name="attendance"),
]
