"""The read API under /api/v1/, the open-data files of public programs, and a person's token
page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import open_data, views
from .v1 import api

app_name = "api"


def _public(patterns):
    """The API's views check the bearer token themselves (401 without a good one) and its
    description is for anyone: none of them sends to the sign-in page."""
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns


# Included at /api/v1/ by config/urls.py, in its own namespace «api_v1».
v1_patterns, _, v1_namespace = api.urls
v1_urls = (_public(v1_patterns), "api_v1", v1_namespace)

urlpatterns = [
    path("settings/api-tokens/", views.token_list, name="tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("open-data/", open_data.index, name="open_data"),
    path("open-data/programs/<int:pk>/data.csv", open_data.data_csv, name="open_data_csv"),
    path("open-data/programs/<int:pk>/data.json", open_data.data_json, name="open_data_json"),
    path("open-data/programs/<int:pk>/meta.csv", open_data.meta_csv, name="open_data_meta"),
    path(
        "open-data/programs/<int:pk>/structure.csv",
        open_data.structure_csv,
        name="open_data_structure",
    ),
]
