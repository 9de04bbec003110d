"""On the roadmap a late item shows as late, and its status is changed in place with htmx:
the row is replaced without reloading the page."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import RoadmapItem

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_late_item_is_marked_and_its_status_changes_in_place(
    scene, world, live_server, page, sign_in
):
    side = scene.inside
    sign_in("school")
    page.goto(live_server.url + side.roadmap.get_absolute_url())
    late_row = page.locator(f"#item-{side.late_item.pk}")
    expect(late_row).to_contain_text("просрочено")
    expect(late_row).to_have_class("is-late")
    expect(page.locator(f"#item-{side.item.pk}")).not_to_contain_text("просрочено")

    # A mark on the window survives only if the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    late_row.locator("select").select_option(label="выполнено")
    expect(late_row).to_have_attribute("data-status", "done")
    expect(late_row).not_to_contain_text("просрочено")
    expect(late_row).to_have_class("table-success")
    assert page.evaluate("window.notReloaded") is True

    side.late_item.refresh_from_db()
    assert side.late_item.status == RoadmapItem.Status.DONE
    # A second change from the replaced row carries the new revision and is accepted too.
    late_row.locator("select").select_option(label="выполняется")
    expect(late_row).to_have_attribute("data-status", "in_progress")
    expect(late_row).to_contain_text("просрочено")
    assert page.evaluate("window.notReloaded") is True
    side.late_item.refresh_from_db()
    assert (side.late_item.status, side.late_item.revision) == ("in_progress", 3)
