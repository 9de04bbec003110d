"""A coordinator turns a .docx plan-graph into a roadmap: upload, look at the columns and the
preview, change a column, confirm once; then finds an item through the search in the header."""

import re

import pytest
from playwright.sync_api import expect

from roadmaps.models import Roadmap
from tests.roadmaps.tables import HEADER, docx_file

pytestmark = pytest.mark.django_db(transaction=True)


def plan():
    rows = [
        HEADER,
        ["Модуль «Есть проект»", "", "", "", ""],
        ["1", "Старт проекта", "I квартал 2024", "МБОУ «Русскинская СОШ»", "Приказ"],
        ["2", "Диагностика школ", "ежемесячно", "муниципальные координаторы", "Справка"],
        ["3", "Итоговая конференция", "10–15 октября 2024", "ДОиМП Сургутского района", ""],
    ]
    return docx_file(rows, merges=[(0, 1, 0, 1, 4)])


def test_upload_preview_change_a_column_confirm_and_find(world, live_server, page, sign_in):
    sign_in("coordinator")
    page.goto(f"{live_server.url}/roadmaps/program/{world.program.pk}/setup/")
    page.get_by_role("link", name="Загрузить из Word или Excel").click()
    page.get_by_label("Приказ или план (.docx, .xlsx)").set_input_files(
        {
            "name": "приказ.docx",
            "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "buffer": plan(),
        }
    )
    page.get_by_label("Название новой дорожной карты").fill("План-график из приказа")
    page.get_by_role("button", name="Прочитать таблицу").click()

    items = page.locator("#import-items")
    expect(items).to_contain_text("Старт проекта")
    expect(items).to_contain_text("01.01.2024 — 31.03.2024")
    expect(items).to_contain_text("повторяется ежемесячно, единого срока нет")
    expect(items).to_contain_text("не найдены среди участников: муниципальные координаторы")
    expect(page.get_by_role("button", name="Создать мероприятия: 3")).to_be_visible()
    assert not Roadmap.objects.exists()

    # The person decides the results column is not to be loaded.
    page.locator("#id_col_4").select_option("skip")
    page.get_by_role("button", name="Обновить предпросмотр").click()
    expect(page.locator("#id_col_4")).to_have_value("skip")
    expect(items).not_to_contain_text("Справка")

    page.get_by_role("button", name="Создать мероприятия: 3").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Загружено мероприятий: 3 в дорожную карту «План-график из приказа». Новых модулей: 1."
    )
    roadmap = Roadmap.objects.get()
    assert page.url.endswith(f"/roadmaps/{roadmap.pk}/setup/")
    assert list(roadmap.items.values_list("expected_result", flat=True)) == ["", "", ""]

    search = page.get_by_placeholder(re.compile("Поиск"))
    search.fill("итоговая КОНФЕРЕНЦИЯ")
    search.press("Enter")
    expect(page.locator("#search-items")).to_contain_text("Итоговая конференция")
