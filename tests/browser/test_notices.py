"""A coordinator creates an event 7 days ahead; after the notification round the invited
school's staff find the invitation behind the bell, and its letter is in the outbox."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_invited_school_is_told_of_a_new_event(world, sign_in, live_server):
    world.school.email = "school@example.ru"
    world.school.save()
    page = sign_in("coordinator")
    page.goto(f"{live_server.url}/roadmaps/program/{world.program.pk}/events/new/")
    page.fill("#id_title", "Семинар «Школа полного дня»")
    page.select_option("#id_kind", "seminar")
    starts = timezone.localtime(
        timezone.now() + timedelta(days=7), ZoneInfo(world.program.timezone_name)
    )
    page.fill("#id_starts_at", f"{starts:%Y-%m-%dT%H:%M}")
    # A new event invites every supported school of the program by one box.
    expect(page.locator("#id_invite_supported")).to_be_checked()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Событие «Семинар «Школа полного дня»» добавлено")).to_be_visible()

    call_command("send_notifications")

    page.context.clear_cookies()
    page = sign_in("school")
    bell = page.locator("#bell")
    expect(bell.locator("#unread-count")).to_have_text("1")
    bell.click()
    notice = page.get_by_role("link", name="Приглашение: Семинар «Школа полного дня»")
    expect(notice).to_be_visible()
    expect(page.locator("#notifications")).to_contain_text(f"{starts:%d.%m.%Y %H:%M}")
    notice.click()
    expect(page.get_by_role("heading", name="Семинар «Школа полного дня»")).to_be_visible()

    assert [m.to for m in mail.outbox] == [["school@example.ru"]]
    assert mail.outbox[0].subject == "Приглашение: Семинар «Школа полного дня»"
