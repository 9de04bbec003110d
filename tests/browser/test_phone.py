"""At a phone's 390 px no page scrolls sideways: every person's main pages fit the screen, and a
table too wide for it scrolls inside its own labelled container (role="region", aria-label,
tabindex so a keyboard reaches it). The data-entry and approval sheets become cards whose
actions (Утвердить / Вернуть, status) are on the screen without scrolling sideways.

Set PHONE_SCREENSHOTS=<folder> to keep a picture of the entry sheet, the approval sheet and the
dashboard at 390 px."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}

# Every element wider than the screen must sit inside a scroll container, and every scroll
# container that does scroll must be a labelled region a keyboard can reach.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string'
       ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(
    getComputedStyle(el).overflowX);
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
  }
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    let parent = el.parentElement;
    while (parent && parent !== document.body && !scrolls(parent)) parent = parent.parentElement;
    if (!parent || parent === document.body) {
      problems.push(name(el) + ' spans ' + Math.round(box.left) + '…' + Math.round(box.right));
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el).overflowX;
    if (!['auto', 'scroll'].includes(style) || el.scrollWidth <= el.clientWidth) continue;
    // A row of tabs in a labelled nav scrolls too: its links take the keyboard's focus.
    if (el.closest('nav[aria-label]')) continue;
    if (el.getAttribute('role') !== 'region' || !el.getAttribute('aria-label')
        || el.getAttribute('tabindex') !== '0') {
      problems.push(name(el) + ' scrolls but is not a labelled region');
    }
  }
  return problems;
}"""


def overflow_of(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate(OVERFLOW)


def pages_of(person, scene, world):
    side = scene.inside
    program, point, roadmap = world.program, side.point, side.roadmap
    entry = reverse("monitoring:entry", args=[point.pk, side.school.pk])
    common = [
        reverse("home"),
        reverse("programs:list"),
        program.get_absolute_url(),
        roadmap.get_absolute_url(),
        side.item.get_absolute_url(),
        reverse("roadmaps:items", args=[program.pk]),
        reverse("roadmaps:events", args=[program.pk]),
        reverse("roadmaps:calendar", args=[program.pk]),
        reverse("school", args=[side.school.pk]),
        entry,
    ]
    return {
        "school": common
        + [
            side.profile.get_absolute_url(),
            reverse("schools:risk_profile_new", args=[side.school.pk]),
        ],
        "curator": common
        + [scene.pair_roadmap.get_absolute_url(), side.profile.get_absolute_url()],
        "coordinator": common
        + [
            point.get_absolute_url(),
            reverse("dashboards:dashboard", args=[program.pk]),
            reverse("dashboards:completeness", args=[point.pk]),
            reverse("dashboards:indicator_dashboard", args=[side.percent.pk]),
            reverse("programs:setup", args=[program.pk]),
            reverse("programs:setup_pairs", args=[program.pk]),
            reverse("monitoring:setup_points", args=[program.pk]),
            reverse("monitoring:setup_indicators", args=[program.pk]),
            reverse("roadmaps:setup", args=[program.pk]),
            reverse("roadmaps:setup_roadmap", args=[roadmap.pk]),
            reverse("roadmaps:event_create", args=[program.pk]),
            reverse("schools:list"),
        ],
        "region": [
            reverse("home"),
            reverse("programs:list"),
            reverse("schools:list"),
            reverse("dashboards:territory"),
            reverse("dashboards:dashboard", args=[program.pk]),
            program.get_absolute_url(),
            roadmap.get_absolute_url(),
            point.get_absolute_url(),
            entry,
        ],
    }[person]


def busy(scene, world):
    """Long names and several events, as real programs have them, so that overflow shows."""
    side = scene.inside
    side.school.full_name = (
        "Муниципальное бюджетное общеобразовательное учреждение «Русскинская средняя "
        "общеобразовательная школа имени Героя Советского Союза Александра Васильевича Петрова»"
    )
    side.school.save()
    for days in (3, 10, 17):
        f.EventFactory(
            program=world.program,
            title="Региональный семинар-практикум «Управленческие механизмы перехода школы "
            "в эффективный режим работы»",
            starts_at=timezone.now() + datetime.timedelta(days=days),
        )


@pytest.mark.parametrize("person", ["school", "curator", "coordinator", "region"])
def test_no_page_scrolls_sideways_at_390_px(person, scene, world, live_server, page, sign_in):
    busy(scene, world)
    page.set_viewport_size(PHONE)
    sign_in(person)
    problems = {}
    for url in pages_of(person, scene, world):
        found = overflow_of(page, live_server.url + url)
        if found:
            problems[url] = found[:5]
    assert problems == {}, "\n".join(f"{u}: {p}" for u, p in problems.items())


def test_the_approval_sheet_keeps_its_actions_on_the_screen(
    scene, world, live_server, page, sign_in
):
    side = scene.inside
    page.set_viewport_size(PHONE)
    sign_in("curator")
    page.goto(live_server.url + reverse("monitoring:entry", args=[side.point.pk, side.school.pk]))
    row = page.locator(f"#indicator-{side.percent.pk}")
    for control in (
        page.get_by_role("button", name="Утвердить все (1)"),
        row.get_by_role("button", name="Утвердить", exact=True),
        row.get_by_role("button", name="Вернуть"),
        row.locator(".badge"),
    ):
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    _screenshot(page, "approval.png")


def test_the_entry_sheet_is_a_list_of_cards(scene, world, live_server, page, sign_in):
    side = scene.inside
    page.set_viewport_size(PHONE)
    sign_in("school")
    page.goto(live_server.url + reverse("monitoring:entry", args=[side.point.pk, side.school.pk]))
    field = page.locator(f"#indicator-{side.count.pk} input[name$='-value']")
    box = field.bounding_box()
    # A card's field takes the card's width, not a squeezed table column.
    assert box["width"] > PHONE["width"] * 0.6
    _screenshot(page, "entry.png")

    page.context.clear_cookies()
    sign_in("coordinator")
    page.goto(live_server.url + reverse("dashboards:dashboard", args=[world.program.pk]))
    _screenshot(page, "dashboard.png")


def _screenshot(page, name):
    folder = os.environ.get("PHONE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)
