"""The dashboard's territory choice names what is shown while no municipality is chosen."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_municipalities(monkeypatch):
    """As in a national program: too many municipalities to list before a region is chosen."""
    monkeypatch.setattr("dashboards.scope.MANY_MUNICIPALITIES", 0)


def blank_choice(html):
    start = html.index('name="municipality"')
    start = html.index('<option value="">', start) + len('<option value="">')
    return html[start : html.index("</option>", start)]


def test_the_whole_program_is_called_the_whole_program(world, as_user, many_municipalities):
    url = reverse("dashboards:dashboard", args=[world.program.pk])
    html = as_user(world.coordinator).get(url).content.decode()
    assert blank_choice(html) == "вся программа"
    assert "выберите регион" not in html
    assert "муниципалитеты — после выбора региона" in html


def test_a_chosen_region_is_called_the_whole_region(world, as_user, many_municipalities):
    url = reverse("dashboards:dashboard", args=[world.program.pk])
    html = as_user(world.coordinator).get(url, {"region": world.region.pk}).content.decode()
    assert blank_choice(html) == "весь регион"
    assert "муниципалитеты — после выбора региона" not in html
