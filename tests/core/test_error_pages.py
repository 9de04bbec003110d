"""The portal's own 404 and 403 pages in every mode, and a refusal that says what is true for
the person refused."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

SEES_BUT_MAY_NOT_CHANGE = "Вы можете видеть эти данные, но изменять их не можете."


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_a_mistyped_address_shows_the_portals_404_page(debug, client):
    response = client.get("/programmes/1/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"
    html = response.content.decode()
    assert "Страница не найдена" in html
    assert "URLconf" not in html and "config.urls" not in html


def test_an_object_out_of_reach_shows_the_portals_404_page_to_a_signed_in_person(
    debug, world, as_user
):
    response = as_user(world.outsider).get(world.program.get_absolute_url())
    assert response.status_code == 404
    assert "Такой страницы нет, или она вам недоступна." in response.content.decode()


def test_a_refusal_to_change_says_the_person_sees_the_data(debug, world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    response = as_user(world.school).get(reverse("roadmaps:setup_roadmap", args=[roadmap.pk]))
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "403.html"
    assert SEES_BUT_MAY_NOT_CHANGE in response.content.decode()


def test_a_refusal_to_show_does_not_claim_the_person_sees_the_data(debug, world, as_user):
    response = as_user(world.school).get(reverse("dashboards:dashboard", args=[world.program.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Сводка программы доступна сотрудникам органов управления её территории." in html
    assert SEES_BUT_MAY_NOT_CHANGE not in html


def test_a_server_error_shows_the_portals_page_without_debug(settings, rf):
    from django.views.defaults import server_error

    settings.DEBUG = False
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()
