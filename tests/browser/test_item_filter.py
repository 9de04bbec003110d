"""The program's item list, filtered in a browser: the responsible organization is picked by a
search, the text is typed, and «Показать» sends both — the picker's own search box stays out
of the filter, so it does not overwrite the text."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from roadmaps.models import Roadmap
from tests import factories as f

from .test_coordinator_program import pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_picked_responsible_and_a_typed_text_filter_the_list_together(
    world, live_server, sign_in
):
    roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
    )
    wanted = f.RoadmapItemFactory(roadmap=roadmap, title="Курсы для учителей математики")
    wanted.responsible.add(world.supported_school)
    f.RoadmapItemFactory(roadmap=roadmap, title="Курсы для родителей")
    other = f.RoadmapItemFactory(roadmap=roadmap, title="Другое мероприятие")
    other.responsible.add(world.supported_school)

    page = sign_in("coordinator")
    page.goto(f"{live_server.url}/roadmaps/program/{world.program.pk}/items/")
    pick(
        page,
        "responsible",
        world.supported_school.short_name[:8],
        world.supported_school.short_name,
    )
    page.locator("#id_q").fill("курсы")
    page.get_by_role("button", name="Показать").click()

    expect(page.locator("table")).to_contain_text("Курсы для учителей математики")
    expect(page.locator("table")).not_to_contain_text("Курсы для родителей")
    expect(page.locator("table")).not_to_contain_text("Другое мероприятие")
    query = parse_qs(urlparse(page.url).query)
    assert query["q"] == ["курсы"]
    assert query["responsible"] == [str(world.supported_school.pk)]
    # The chosen organization is still shown as chosen.
    expect(page.locator("#id_responsible")).to_have_value(
        re.compile(rf"^{world.supported_school.pk}$")
    )
