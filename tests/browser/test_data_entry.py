"""The school enters its values and submits them; the curator approves one and returns another
with a comment; the school sees the approved one locked and fixes the returned one."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from monitoring.models import Measurement

pytestmark = pytest.mark.django_db(transaction=True)


def test_values_go_from_the_school_to_the_curator_and_back(
    scene, world, live_server, page, sign_in
):
    side = scene.inside
    Measurement.objects.filter(point=side.point).delete()
    url = live_server.url + reverse("monitoring:entry", args=[side.point.pk, side.school.pk])
    percent, count, yes_no = (f"#indicator-{i.pk}" for i in side.indicators)

    sign_in("school")
    page.goto(url)
    page.locator(f"{percent} input[name$='-value']").fill("12,5")
    page.locator(f"{count} input[name$='-value']").fill("4")
    page.locator(f"{yes_no} select").select_option(label="да")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Значения отправлены на проверку.")).to_be_visible()
    for row in (percent, count, yes_no):
        expect(page.locator(row)).to_have_attribute("data-status", "submitted")

    page.context.clear_cookies()
    sign_in("curator")
    page.goto(url)
    page.locator(percent).get_by_role("button", name="Утвердить").click()
    expect(page.get_by_text("Значение показателя 1 утверждено.")).to_be_visible()
    page.locator(count).get_by_placeholder("Что исправить").fill("В отчёте КПК пять педагогов")
    page.locator(count).get_by_role("button", name="Вернуть").click()
    expect(page.get_by_text("Значение показателя 2 возвращено на доработку.")).to_be_visible()
    expect(page.locator(percent)).to_have_attribute("data-status", "approved")
    expect(page.locator(count)).to_have_attribute("data-status", "returned")

    page.context.clear_cookies()
    sign_in("school")
    page.goto(url)
    # The approved value is shown locked, without an input.
    expect(page.locator(percent).locator("input[name$='-value']")).to_have_count(0)
    expect(page.locator(percent).locator(".value-cell")).to_contain_text("🔒")
    expect(page.locator(percent).locator(".value-cell")).to_contain_text("12,5 %")
    expect(page.locator(count)).to_contain_text("Замечание: В отчёте КПК пять педагогов")
    page.locator(f"{count} input[name$='-value']").fill("5")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Значения отправлены на проверку.")).to_be_visible()
    expect(page.locator(count)).to_have_attribute("data-status", "submitted")
    expect(page.locator(percent)).to_have_attribute("data-status", "approved")
    values = {
        m.indicator_id: (m.value, m.status) for m in Measurement.objects.filter(point=side.point)
    }
    assert values[side.percent.pk][1] == "approved"
    assert values[side.count.pk] == (5, "submitted")
