"""The core loop with the keyboard alone — sign in, enter values, submit, approve — as a person
who uses no mouse: every step is reached with Tab, shows where the focus is, and acts on Enter
or Space. The first Tab of a page offers to skip the header."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from monitoring.models import Measurement

pytestmark = pytest.mark.django_db(transaction=True)

# How many Tabs a control may take to reach before the test calls it unreachable.
MOST_TABS = 120

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
    || (style.boxShadow && style.boxShadow !== 'none');
}"""


def tab_to(page, selector):
    """Press Tab until the focus is on `selector`, checking at each step that it is shown."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_SHOWN), f"the focus on {selector} is not visible"
            return
    pytest.fail(f"{selector} is not reached with Tab")


def sign_in_by_keyboard(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "input[name='username']")
    page.keyboard.type(username)
    tab_to(page, "input[name='password']")
    page.keyboard.type("пароль-для-тестов")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def test_the_first_tab_offers_to_skip_the_header(world, live_server, page):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"


def test_values_are_entered_submitted_and_approved_with_the_keyboard_alone(
    scene, world, live_server, page
):
    side = scene.inside
    Measurement.objects.filter(point=side.point).delete()
    url = live_server.url + reverse("monitoring:entry", args=[side.point.pk, side.school.pk])
    percent, count, yes_no = (f"#indicator-{i.pk}" for i in side.indicators)

    sign_in_by_keyboard(page, live_server, "school")
    page.goto(url)
    tab_to(page, f"{percent} input[name$='-value']")
    page.keyboard.type("12,5")
    tab_to(page, f"{count} input[name$='-value']")
    page.keyboard.type("4")
    tab_to(page, f"{yes_no} select")
    # A closed select takes its option from the arrow keys.
    page.keyboard.press("ArrowDown")
    tab_to(page, "#entry-form button[value='submit']")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Значения отправлены на проверку.")).to_be_visible()
    for row in (percent, count, yes_no):
        expect(page.locator(row)).to_have_attribute("data-status", "submitted")

    sign_in_by_keyboard(page, live_server, "curator")
    page.goto(url)
    tab_to(page, "#review-all button[value='approve']")
    page.keyboard.press("Enter")
    expect(page.locator(percent)).to_have_attribute("data-status", "approved")
    assert set(Measurement.objects.filter(point=side.point).values_list("status", flat=True)) == {
        "approved"
    }
    assert Measurement.objects.get(point=side.point, indicator=side.count).value == 4
