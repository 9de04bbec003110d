"""Shortened labels keep their quotes closed."""

import pytest
from django.urls import reverse

from core.text import shorten
from tests import factories as f

LONG = "Дорожная карта регионального проекта «Адресная методическая помощь «Школьный рывок»»"


@pytest.mark.parametrize("limit", range(8, len(LONG)))
def test_a_shortened_name_closes_every_guillemet_it_opened(limit):
    label = shorten(LONG, limit)
    assert len(label) <= limit
    assert label.endswith("…»»") or label.endswith("…»") or label.endswith("…")
    assert label.count("«") == label.count("»")


def test_a_name_that_fits_is_left_whole():
    assert shorten("МБОУ «Русскинская СОШ»", 40) == "МБОУ «Русскинская СОШ»"


def test_a_name_is_cut_between_words():
    assert shorten("Проект «Школьный рывок» Пермского края", 30) == "Проект «Школьный рывок»…"


def test_straight_quotes_and_brackets_are_closed_too():
    assert shorten('Доля "успешных учеников" (по итогам ВПР и ОГЭ)', 40) == (
        'Доля "успешных учеников" (по итогам…)'
    )


def test_the_template_filter_shortens_the_same_way():
    from django.template import Context, Template

    html = Template("{% load portal %}{{ name|shorten:30 }}").render(Context({"name": LONG}))
    assert html == shorten(LONG, 30)


@pytest.mark.django_db
def test_the_event_forms_item_label_keeps_the_roadmaps_quotes(world, as_user):
    roadmap = f.RoadmapFactory(
        program=world.program, title="Проект «Адресная методическая помощь «Школьный рывок»»"
    )
    item = f.RoadmapItemFactory(roadmap=roadmap, number="3", title="Самоанализ школы")
    response = as_user(world.coordinator).get(
        reverse("roadmaps:event_create", args=[world.program.pk])
    )
    labels = dict(response.context["form"].fields["item"].choices)
    label = str(labels[item.pk])
    assert label == "3 Самоанализ школы (Проект «Адресная методическая помощь…»)"
    assert label.count("«") == label.count("»")


def test_names_and_titles_lose_bidirectional_and_zero_width_controls_on_save(world):
    from core.text import strip_controls

    assert strip_controls("фа\u202eйл\u200b\u2066.exe\u2069\ufeff") == "файл.exe"
    school = world.supported_school
    school.short_name = "МБОУ\u200b «Русскинская\u202e СОШ»"
    school.save()
    school.refresh_from_db()
    assert school.short_name == "МБОУ «Русскинская СОШ»"
    world.program.title = "\u202dВектор\u200d на развитие"
    world.program.save()
    world.program.refresh_from_db()
    assert world.program.title == "Вектор на развитие"
    world.school.last_name = "Петро\u200cва"
    world.school.save()
    world.school.refresh_from_db()
    assert world.school.last_name == "Петрова"


def test_a_name_read_from_a_workbook_loses_them_too():
    from core.xlsx import cell_text

    assert cell_text(" МБОУ\u202e «СОШ №1»\u200b ") == "МБОУ «СОШ №1»"
