"""The coordinator assigns the pair's curator to a submitted document; the curator fills the
checklist and sends it back for revision; the school reads the result on its document."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from expertise.models import ExpertiseRound
from programs.models import Document

from .. import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_document_goes_through_the_curators_sheet(world, live_server, page, sign_in):
    document = f.DocumentFactory(
        program=world.program,
        organization=world.supported_school,
        status=Document.Status.SUBMITTED,
        version=1,
        title="Среднесрочная программа Русскинской СОШ",
    )
    ExpertiseRound.objects.create(
        program=world.program, title="Экспертиза, май", due_on=datetime.date(2030, 5, 31)
    )
    sign_in("coordinator")
    page.goto(live_server.url + reverse("expertise:assign", args=[document.pk]))
    page.get_by_label("Кто проверяет").select_option(label="куратор пары")
    page.locator("#id_reviewer").select_option(value=str(world.curator.pk))
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_text("Эксперт назначен")).to_be_visible()

    page.context.clear_cookies()
    sign_in("curator")
    page.goto(live_server.url + document.get_absolute_url())
    page.get_by_role("link", name="Заполнить экспертный лист").click()
    # `.all()` does not wait: the sheet's page must have loaded before its fields are listed.
    scores = page.locator("#sheet-form input[type=number]")
    expect(scores.first).to_be_visible()
    for number in scores.all():
        number.fill("2")
    page.get_by_label("на доработку").check()
    page.get_by_label("Комментарий").fill("Нет показателей результата")
    page.get_by_role("button", name="Сохранить заключение").click()
    expect(page.get_by_text("Экспертный лист сохранён.")).to_be_visible()

    page.context.clear_cookies()
    sign_in("school")
    page.goto(live_server.url + document.get_absolute_url())
    expect(page.locator("#document-status")).to_contain_text("на доработке")
    expect(page.locator("#expertise")).to_contain_text("Нет показателей результата")
    expect(page.locator("#expertise")).to_contain_text("Куратор пары")
