"""A coordinator drags a module of the program into a new place; the order is saved with htmx
and is the one the page shows after a reload. An order posted over a list that changed
meanwhile is refused with the reason shown beside the list."""

import pytest
from playwright.sync_api import expect

from programs.models import Module
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def shown(page):
    return page.locator("#parts-order tr .part-title").all_inner_texts()


def stored(world):
    return list(Module.objects.filter(program=world.program).values_list("title", flat=True))


def test_a_dragged_module_keeps_its_new_place_after_a_reload(world, live_server, sign_in):
    for n, title in enumerate(["Есть проект", "ПрофСреда", "Стратегия успеха"]):
        f.ModuleFactory(program=world.program, title=title, order=n)
    page = sign_in("coordinator")
    page.goto(f"{live_server.url}/programs/{world.program.pk}/setup/modules/")
    assert shown(page) == ["Есть проект", "ПрофСреда", "Стратегия успеха"]

    # The last module is dragged onto the first row: it goes above it.
    last = page.locator("#parts-order tr").nth(2)
    last.drag_to(page.locator("#parts-order tr").nth(0), target_position={"x": 20, "y": 2})
    expect(page.locator("#reorder-result")).to_contain_text("Порядок сохранён")
    page.reload()
    assert shown(page) == ["Стратегия успеха", "Есть проект", "ПрофСреда"]
    assert stored(world) == ["Стратегия успеха", "Есть проект", "ПрофСреда"]

    # Someone removes a module while the page is open: the next drag is refused, nothing moves.
    Module.objects.filter(title="ПрофСреда").delete()
    page.locator("#parts-order tr").nth(0).drag_to(
        page.locator("#parts-order tr").nth(1), target_position={"x": 20, "y": 30}
    )
    expect(page.locator("#reorder-result")).to_contain_text("обновите страницу")
    assert stored(world) == ["Стратегия успеха", "Есть проект"]
