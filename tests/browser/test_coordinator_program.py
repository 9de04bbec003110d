"""A coordinator sets a program up in the browser and watches its participation indicator."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_sets_up_a_program_and_sees_attendance_change_the_dashboard(
    world, sign_in, live_server
):
    page = sign_in("coordinator")

    # A new program with its passport.
    page.get_by_role("link", name="Программы", exact=True).click()
    page.get_by_role("link", name="Новая программа").click()
    page.fill("#id_title", "Программа адресной поддержки школ Сургутского района")
    page.fill("#id_short_title", "Адресная поддержка 2023")
    page.select_option("#id_level", "municipal")
    page.select_option("#id_owner", label="ДОиМП Сургутского района")
    page.select_option("#id_municipality", label="Сургутский район")
    page.fill("#id_starts_on", "2023-01-01")
    page.fill("#id_ends_on", "2023-12-31")
    page.get_by_role("button", name="Создать программу").click()
    expect(page.get_by_text("Программа «Адресная поддержка 2023» создана")).to_be_visible()

    # One pair: both schools become participants.
    page.get_by_role("link", name="Пары", exact=True).click()
    # Schools are found by typing (a national program has thousands).
    pick(page, "curator_school", "Нижнесортымская", world.curator_school.short_name)
    pick(page, "supported_school", "Русскинская", world.supported_school.short_name)
    page.get_by_role("button", name="Добавить пару").click()
    expect(page.get_by_text("Назначьте кураторов")).to_be_visible()

    # A roadmap with an item whose deadline is read as it is typed.
    page.get_by_role("link", name="Дорожные карты", exact=True).click()
    page.fill("#id_title", "План-график")
    page.select_option("#id_level", "program")
    page.get_by_role("button", name="Создать", exact=True).click()
    page.fill("#id_title", "Семинар для управленческих команд")
    page.fill("#id_schedule_text", "Май – июнь")
    expect(page.locator("#schedule-preview")).to_contain_text("30.06.2023")
    page.get_by_role("button", name="Добавить пункт").click()
    expect(page.get_by_role("cell", name="Семинар для управленческих команд")).to_be_visible()

    # The effectiveness indicators, then the dashboard before any attendance.
    page.get_by_role("link", name="Показатели", exact=True).click()
    page.get_by_role("button", name="Добавить показатели эффективности").click()
    page.get_by_role("link", name="Паспорт").click()
    page.get_by_role("link", name="Сводка", exact=True).click()
    participation = page.locator('tr[data-method="attendance_share"]')
    expect(participation).to_contain_text("0 %")
    expect(participation).to_contain_text("не выполнен")

    # An event tied to the item; the supported school is invited by default.
    page.get_by_role("link", name="События", exact=True).first.click()
    page.get_by_role("link", name="Новое событие").click()
    page.fill("#id_title", "Семинар по обмену опытом")
    page.select_option("#id_kind", "seminar")
    page.fill("#id_starts_at", "2023-05-10T10:00")
    pick(page, "item", "Семинар для", "Семинар для управленческих команд")
    expect(page.get_by_label("Пригласить все поддерживаемые школы программы")).to_be_checked()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("link", name="Семинар по обмену опытом")).to_be_visible()
    expect(page.get_by_text("10.05.2023 10:00")).to_be_visible()

    # Attendance after the event.
    page.get_by_role("link", name="Участие").click()
    page.get_by_label(world.supported_school.short_name, exact=True).check()
    page.get_by_label(f"Участников от {world.supported_school.short_name}").fill("4")
    page.get_by_role("button", name="Сохранить участие").click()
    expect(page.get_by_text("Участие отмечено: организаций — 1.")).to_be_visible()

    # The participation indicator has changed.
    page.goto(f"{live_server.url}/programs/")
    page.get_by_role("link", name="Адресная поддержка 2023").click()
    page.get_by_role("link", name="Сводка", exact=True).click()
    participation = page.locator('tr[data-method="attendance_share"]')
    expect(participation).to_contain_text("100 %")
    expect(participation).to_contain_text("выполнен")
    expect(participation).not_to_contain_text("не выполнен")


def pick(page, field, text, label):
    """Choose in a search picker: type, then click the option found."""
    picker = page.locator(f"[data-search-select]:has(#id_{field})")
    picker.get_by_role("searchbox").fill(text)
    picker.locator("[data-pick]", has_text=label).first.click()
    expect(picker.locator(f"#id_{field}")).to_have_value(re.compile(r"\d+"))
