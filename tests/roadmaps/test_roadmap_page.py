"""The roadmap page: items grouped by module, filtered by status, responsible and «просрочено»,
their status changed in place with htmx (or by a plain POST), late items marked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps.models import RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db


def rows_of(response):
    return [row["item"] for row in response.context["rows"]]


def test_items_are_grouped_by_module_in_their_order(scene, world, as_user):
    roadmap = scene.inside.roadmap
    second = f.ModuleFactory(program=world.program, title="Модуль «ПрофСреда»", order=5)
    f.RoadmapItemFactory(roadmap=roadmap, module=second, title="Профпробы")
    f.RoadmapItemFactory(roadmap=roadmap, module=None, title="Общее совещание")
    page = as_user(world.school).get(roadmap.get_absolute_url()).content.decode()
    headers = [page.index(h) for h in ("Без модуля", "Модуль «Вектор»", "Модуль «ПрофСреда»")]
    assert headers == sorted(headers)
    assert page.index("Профпробы") > headers[2]
    assert headers[0] < page.index("Общее совещание") < headers[1]


def test_a_late_item_is_marked_late_and_a_current_one_is_not(scene, world, as_user):
    page = as_user(world.school).get(scene.inside.roadmap.get_absolute_url()).content.decode()
    late_row = page[page.index(f'id="item-{scene.inside.late_item.pk}"') :]
    late_row = late_row[: late_row.index("</tr>")]
    current_row = page[page.index(f'id="item-{scene.inside.item.pk}"') :]
    current_row = current_row[: current_row.index("</tr>")]
    assert "просрочено" in late_row and 'class="is-late"' in page
    assert "просрочено" not in current_row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("late=on", ["late_item"]),
        ("status=planned", ["item", "late_item"]),
        ("status=done", ["done"]),
        ("responsible={school}", ["item", "late_item"]),
        ("responsible={curator}", ["done"]),
    ],
)
def test_items_are_filtered(scene, world, as_user, query, expected):
    done = f.RoadmapItemFactory(
        roadmap=scene.inside.roadmap,
        status=RoadmapItem.Status.DONE,
        due_on=scene.today - datetime.timedelta(days=30),
    )
    done.responsible.add(world.curator_school)
    named = {"item": scene.inside.item, "late_item": scene.inside.late_item, "done": done}
    url = (
        scene.inside.roadmap.get_absolute_url()
        + "?"
        + query.format(school=world.supported_school.pk, curator=world.curator_school.pk)
    )
    response = as_user(world.coordinator).get(url)
    assert {i.pk for i in rows_of(response)} == {named[name].pk for name in expected}


def test_the_responsible_filter_offers_only_organizations_of_this_roadmap(scene, world, as_user):
    response = as_user(world.coordinator).get(scene.inside.roadmap.get_absolute_url())
    choices = response.context["filter"].form.fields["responsible"].queryset
    assert list(choices) == [world.supported_school]


def status_post(client, item, status, revision=None, htmx=False, **extra):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("roadmaps:item_status", args=[item.pk]),
        {
            f"item{item.pk}-status": status,
            f"item{item.pk}-revision": item.revision if revision is None else revision,
            **extra,
        },
        **headers,
    )


def test_htmx_status_change_returns_only_the_updated_row(scene, world, as_user):
    item = scene.inside.late_item
    response = status_post(as_user(world.school), item, RoadmapItem.Status.DONE, htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert "<html" not in html
    assert 'data-status="done"' in html and "просрочено" not in html
    item.refresh_from_db()
    assert item.status == RoadmapItem.Status.DONE
    assert item.completed_on == item.roadmap.program.local_today()  # the region's date
    # The row carries the new revision, so the next change from it is accepted.
    assert f'name="item{item.pk}-revision" value="{item.revision}"' in html


def test_a_plain_post_changes_the_status_and_returns_to_the_roadmap(scene, world, as_user):
    item = scene.inside.item
    back = scene.inside.roadmap.get_absolute_url() + "?late=on"
    response = status_post(as_user(world.school), item, RoadmapItem.Status.IN_PROGRESS, next=back)
    assert response.status_code == 302 and response.url == back
    item.refresh_from_db()
    assert item.status == RoadmapItem.Status.IN_PROGRESS and item.completed_on is None


def test_a_foreign_next_address_is_not_followed(scene, world, as_user):
    response = status_post(
        as_user(world.school), scene.inside.item, "in_progress", next="https://evil.example/"
    )
    assert response.url == scene.inside.roadmap.get_absolute_url()


@pytest.mark.parametrize("htmx", [True, False])
def test_an_unknown_status_is_refused_in_russian_beside_the_row(scene, world, as_user, htmx):
    item = scene.inside.item
    response = status_post(as_user(world.school), item, "finished", htmx=htmx)
    assert response.status_code == 200
    assert "Выберите корректный вариант. finished нет среди допустимых значений." in (
        response.content.decode()
    )
    item.refresh_from_db()
    assert item.status == RoadmapItem.Status.PLANNED


@pytest.mark.parametrize("htmx", [True, False])
def test_a_status_change_over_a_newer_one_is_refused(scene, world, as_user, htmx):
    item = scene.inside.item
    seen = item.revision
    status_post(as_user(world.coordinator), item, RoadmapItem.Status.NOT_DONE)
    response = status_post(
        as_user(world.school), item, RoadmapItem.Status.DONE, revision=seen, htmx=htmx
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "эти данные изменил другой пользователь" in html
    # What the person chose stays selected, ready to be sent again on purpose.
    assert '<option value="done" selected>' in html
    item.refresh_from_db()
    assert item.status == RoadmapItem.Status.NOT_DONE


def test_people_who_may_not_report_see_the_status_without_a_form(scene, world, as_user):
    coordinators_item = f.RoadmapItemFactory(roadmap=scene.inside.roadmap)
    response = as_user(world.school).get(scene.inside.roadmap.get_absolute_url())
    can = {row["item"].pk: row["can_report"] for row in response.context["rows"]}
    assert can == {
        scene.inside.item.pk: True,
        scene.inside.late_item.pk: True,
        coordinators_item.pk: False,
    }
    html = response.content.decode()
    assert f'hx-post="/roadmaps/items/{coordinators_item.pk}/status/"' not in html


def test_the_roadmap_page_makes_the_same_queries_for_5_and_50_items(scene, world, as_user):
    roadmap = scene.inside.roadmap
    client = as_user(world.school)
    modules = [f.ModuleFactory(program=world.program) for _ in range(3)]

    def add(count):
        for n in range(count):
            item = f.RoadmapItemFactory(roadmap=roadmap, module=modules[n % 3])
            item.responsible.add(world.supported_school, world.curator_school)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(roadmap.get_absolute_url() + "?status=planned").status_code == 200
        return len(captured)

    add(5)
    few = queries()
    add(45)
    assert queries() == few


def test_a_plain_status_change_returns_to_the_filtered_roadmap(scene, world, as_user):
    url = scene.inside.roadmap.get_absolute_url() + "?late=on"
    page = as_user(world.school).get(url).content.decode()
    assert f'name="next" value="{url}"' in page
