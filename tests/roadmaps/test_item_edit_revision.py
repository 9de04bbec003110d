"""Two people editing one roadmap item: the later save over the other's change is refused, and
what they typed is kept on the page."""

import pytest
from django.urls import reverse

from core.revisions import STALE_MESSAGE
from roadmaps.models import RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db


def form_data(response):
    """What the page's form would post: its fields' current values."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    return data


def test_the_later_of_two_edits_is_refused_and_keeps_what_was_typed(world, as_user):
    item = f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program), title="Было")
    url = reverse("roadmaps:item_edit", args=[item.pk])
    first, second = as_user(world.coordinator), as_user(world.region_coordinator)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))

    saved = first.post(url, {**first_data, "title": "Первый редактор"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_data, "title": "Второй редактор"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert STALE_MESSAGE in page
    assert "Второй редактор" in page
    item.refresh_from_db()
    assert item.title == "Первый редактор"

    # Sending the refreshed form again is a deliberate overwrite.
    again = second.post(url, {**form_data(refused), "title": "Второй редактор"})
    assert again.status_code == 302
    assert RoadmapItem.objects.get(pk=item.pk).title == "Второй редактор"
