"""Items whose wording names no dates: the form says so before saving, and the item list finds
them."""

import datetime

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(world):
    return f.RoadmapFactory(program=world.program)


def preview(client, program, text):
    response = client.get(
        reverse("roadmaps:schedule_preview"),
        {"program": program.pk, "item-schedule_text": text},
        HTTP_HX_REQUEST="true",
    )
    return response.content.decode()


def test_the_preview_says_monthly_work_has_no_single_date(world, as_user):
    html = preview(as_user(world.coordinator), world.program, "ежемесячно")
    assert "Повторяется ежемесячно: единого срока в формулировке нет" in html
    assert "даты вручную" in html


def test_the_preview_shows_the_dates_of_a_quarter(world, as_user):
    html = preview(as_user(world.coordinator), world.program, "I квартал 2024")
    assert "01.01.2024" in html and "31.03.2024" in html
    assert 'data-schedule="undated"' not in html


def test_a_wording_without_dates_is_saved_with_dates_set_by_hand(world, as_user, roadmap):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]),
        {
            "title": "Отчёт о ходе проекта",
            "schedule_text": "ежемесячно",
            "manual_dates": "on",
            "starts_on": "2024-01-01",
            "due_on": "2024-12-31",
        },
    )
    assert response.status_code == 302
    item = roadmap.items.get()
    assert (item.starts_on, item.due_on) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def test_the_item_list_shows_only_items_without_dates(world, as_user, roadmap):
    f.RoadmapItemFactory(roadmap=roadmap, title="Датированное", due_on=datetime.date(2024, 5, 31))
    f.RoadmapItemFactory(
        roadmap=roadmap, title="По запросу", schedule_text="по запросу", starts_on=None, due_on=None
    )
    url = reverse("roadmaps:items", args=[world.program.pk])
    undated = as_user(world.coordinator).get(url, {"undated": "true"})
    assert [row.record.title for row in undated.context["table"].rows] == ["По запросу"]
    assert "без даты" in undated.content.decode()
    dated = as_user(world.coordinator).get(url, {"undated": "false"})
    assert [row.record.title for row in dated.context["table"].rows] == ["Датированное"]


def test_an_item_saved_without_dates_is_named_after_saving(world, as_user, roadmap):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]),
        {"title": "Консультации", "schedule_text": "по запросу"},
        follow=True,
    )
    html = response.content.decode()
    assert "нет дат: срок «по запросу» их не называет" in html
    assert roadmap.items.get().due_on is None
