"""The home of each role in a real browser: the week ahead, what waits for them, what is late
grouped by roadmap (with the way to all of it), and the curator's month of the pair."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roadmaps.models import Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def day_ahead(scene, world):
    """An event in three days with the supported school invited, and a pair's roadmap item due
    in twenty days."""
    event = f.EventFactory(
        program=world.program,
        title="Семинар кураторов пар",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    event.invited.add(world.supported_school)
    roadmap = f.RoadmapFactory(
        program=world.program, level=Roadmap.Level.PAIR, pair=world.pair, title="Карта пары"
    )
    f.RoadmapItemFactory(
        roadmap=roadmap,
        title="Открытый урок куратора",
        due_on=scene.today + datetime.timedelta(days=20),
    )
    return event


def test_the_school_plans_its_week_and_follows_its_late_items_to_the_roadmap(
    scene, world, day_ahead, page, sign_in
):
    sign_in("school")
    week = page.locator("#home-week")
    expect(week.get_by_role("heading", name="Эта неделя")).to_be_visible()
    expect(week).to_contain_text(scene.inside.item.title)
    expect(week).to_contain_text("Семинар кураторов пар")
    late = page.locator("#home-late")
    expect(late).to_contain_text(scene.inside.late_item.title)
    expect(late).to_contain_text("просрочено")
    late.get_by_role("link", name=scene.inside.roadmap.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(scene.inside.roadmap.title)


def test_the_coordinator_sees_approvals_across_schools_by_point(
    scene, world, day_ahead, page, sign_in
):
    sign_in("coordinator")
    waiting = page.locator("#home-waiting")
    expect(waiting.get_by_role("heading", name="Ждёт меня")).to_be_visible()
    expect(waiting).to_contain_text("Значения ждут утверждения")
    waiting.get_by_role("link", name=scene.inside.point.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(scene.inside.point.title)


def test_the_curator_sees_the_month_of_the_pair(scene, world, day_ahead, page, sign_in):
    sign_in("curator")
    month = page.locator(f"#home-pair-month-{world.pair.pk}")
    expect(month.get_by_role("heading", level=2)).to_contain_text("Месяц пары")
    expect(month).to_contain_text("Открытый урок куратора")
    expect(month).to_contain_text("Семинар кураторов пар")


def test_the_outsider_sees_only_their_own_program_on_the_home(
    scene, world, day_ahead, page, sign_in
):
    sign_in("outsider")
    expect(page.locator("#home-week")).not_to_contain_text("Семинар кураторов пар")
    expect(page.locator("#home-week")).to_contain_text(scene.outside.item.title)
    expect(page.locator("main")).not_to_contain_text("Месяц пары")
