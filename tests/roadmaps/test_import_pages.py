"""The import pages: who may import, upload → columns and preview → confirm, nothing saved
before the confirmation, the file read again on confirm; and `manage.py import_roadmap`."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Module
from roadmaps.models import Roadmap, RoadmapItem
from tests import factories as f

from .tables import HEADER, docx_file, xlsx_file

pytestmark = pytest.mark.django_db


def plan_docx(count=3):
    rows = [HEADER, ["Модуль «Есть проект»", "", "", "", ""]]
    rows += [
        [f"{n}", f"Мероприятие {n}", "I квартал 2024", "МБОУ «Русскинская СОШ», координаторы", ""]
        for n in range(1, count + 1)
    ]
    return docx_file(rows, merges=[(0, 1, 0, 1, 4)])


def upload(client, program, content=None, name="приказ.docx", **data):
    file = SimpleUploadedFile(name, plan_docx() if content is None else content)
    return client.post(
        reverse("roadmaps:import", args=[program.pk]),
        {"file": file, "title": "План-график", **data},
    )


def token_of(response):
    return re.search(r"token=([\w-]+)", response.url).group(1)


@pytest.mark.parametrize(
    ("person", "status"), [("outsider", 404), ("school", 403), ("curator", 403)]
)
def test_only_those_who_set_up_the_program_import(world, as_user, person, status):
    client = as_user(getattr(world, person))
    assert client.get(reverse("roadmaps:import", args=[world.program.pk])).status_code == status
    assert upload(client, world.program).status_code == status
    assert not Roadmap.objects.exists()


def test_upload_preview_confirm(world, as_user):
    client = as_user(world.coordinator)
    response = upload(client, world.program)
    assert response.status_code == 302
    token = token_of(response)
    preview = client.get(response.url)
    html = preview.content.decode()
    plan = preview.context["plan"]
    assert [i.title for i in plan.items] == ["Мероприятие 1", "Мероприятие 2", "Мероприятие 3"]
    assert "01.01.2024 — 31.03.2024" in html
    assert "не найдены среди участников: координаторы" in html
    assert "Создать мероприятия: 3" in html
    # Nothing is saved before the confirmation.
    assert not Roadmap.objects.exists() and not Module.objects.exists()
    confirm = client.post(
        reverse("roadmaps:import_confirm", args=[world.program.pk]),
        {
            "token": token,
            "table": 0,
            "shown": 0,
            **{f"col_{i}": m.meaning for i, m in enumerate(plan.columns)},
        },
    )
    roadmap = Roadmap.objects.get()
    assert confirm.url == reverse("roadmaps:setup_roadmap", args=[roadmap.pk])
    assert roadmap.title == "План-график"
    items = list(roadmap.items.order_by("order"))
    assert [i.title for i in items] == ["Мероприятие 1", "Мероприятие 2", "Мероприятие 3"]
    assert {i.module.title for i in items} == {"Есть проект"}
    assert [list(i.responsible.all()) for i in items] == [[world.supported_school]] * 3
    # The kept file is gone: a second confirmation imports nothing twice.
    again = client.post(
        reverse("roadmaps:import_confirm", args=[world.program.pk]), {"token": token}
    )
    assert again.status_code == 302 and RoadmapItem.objects.count() == 3


def test_the_person_changes_a_column_and_the_preview_follows(world, as_user):
    client = as_user(world.coordinator)
    response = upload(client, world.program)
    token = token_of(response)
    url = reverse("roadmaps:import_preview", args=[world.program.pk])
    changed = client.get(
        url,
        {"token": token, "table": 0, "shown": 0, "col_0": "number", "col_1": "title",
         "col_2": "skip", "col_3": "skip", "col_4": "skip"},
    )  # fmt: skip
    plan = changed.context["plan"]
    assert [i.schedule_text for i in plan.items] == ["", "", ""]
    assert 'name="col_2" value="skip"' in changed.content.decode()
    confirm = client.post(
        reverse("roadmaps:import_confirm", args=[world.program.pk]),
        {"token": token, "table": 0, "shown": 0, "col_0": "number", "col_1": "title",
         "col_2": "skip", "col_3": "skip", "col_4": "skip"},
    )  # fmt: skip
    assert confirm.status_code == 302
    assert set(RoadmapItem.objects.values_list("schedule_text", "responsible_note")) == {("", "")}


def test_a_choice_that_cannot_be_read_offers_no_confirmation(world, as_user):
    client = as_user(world.coordinator)
    token = token_of(upload(client, world.program))
    response = client.get(
        reverse("roadmaps:import_preview", args=[world.program.pk]),
        {"token": token, "table": 0, "shown": 0, "col_0": "number", "col_1": "skip",
         "col_2": "schedule", "col_3": "schedule", "col_4": "skip"},
    )  # fmt: skip
    html = response.content.decode()
    assert "Укажите столбец с названием мероприятия" in html
    assert "«Сроки» выбрано для нескольких столбцов: 3, 4." in html
    assert 'id="import-confirm"' not in html
    confirm = client.post(
        reverse("roadmaps:import_confirm", args=[world.program.pk]),
        {"token": token, "table": 0, "shown": 0, "col_0": "number", "col_1": "skip"},
    )
    assert confirm.status_code == 200 and not Roadmap.objects.exists()


def test_items_go_into_an_existing_roadmap_after_its_items(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program, title="Карта")
    f.RoadmapItemFactory(roadmap=roadmap, order=4)
    client = as_user(world.coordinator)
    token = token_of(upload(client, world.program, roadmap=roadmap.pk, title=""))
    client.post(reverse("roadmaps:import_confirm", args=[world.program.pk]), {"token": token})
    assert list(roadmap.items.order_by("order").values_list("order", flat=True)) == [4, 5, 6, 7]
    assert Roadmap.objects.count() == 1


def test_a_roadmap_of_another_program_is_not_offered(world, as_user):
    other = f.RoadmapFactory(program=f.ProgramFactory(owner=world.authority))
    response = upload(as_user(world.coordinator), world.program, roadmap=other.pk)
    assert response.context["form"].errors["roadmap"] == ["Выберите дорожную карту из списка."]


def test_the_roadmap_is_picked_by_search_among_those_the_person_may_edit(world, as_user):
    for n in range(30):
        f.RoadmapFactory(program=world.program, title=f"Дорожная карта школы № {n}")
    other = f.RoadmapFactory(title="Дорожная карта школы № 29 другой программы")
    client = as_user(world.coordinator)
    page = client.get(reverse("roadmaps:import", args=[world.program.pk])).content.decode()
    assert "школы № 29" not in page
    search = reverse("roadmaps:import_search", args=[world.program.pk])
    found = client.get(search, {"name": "roadmap", "q": "карта школы № 29"}).content.decode()
    offered = re.findall(r'data-pick="(\d+)"', found)
    assert offered == [
        str(Roadmap.objects.get(program=world.program, title="Дорожная карта школы № 29").pk)
    ]
    assert str(other.pk) not in offered
    assert as_user(world.school).get(search, {"name": "roadmap", "q": "карта"}).status_code in (
        403,
        404,
    )


def test_a_roadmap_deleted_before_the_confirmation_is_named(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    client = as_user(world.coordinator)
    token = token_of(upload(client, world.program, roadmap=roadmap.pk))
    roadmap.delete()
    response = client.post(
        reverse("roadmaps:import_confirm", args=[world.program.pk]), {"token": token}, follow=True
    )
    assert "Дорожная карта удалена или больше не доступна вам." in response.content.decode()
    assert not RoadmapItem.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4", "приказ.pdf", "Нужен документ Word (.docx) или книга Excel (.xlsx)"),
        (b"not a zip at all", "приказ.docx", "не соответствует формату .docx"),
        (docx_file([["одна", "строка"]]), "приказ.docx", "В файле нет таблицы"),
    ],
)
def test_a_wrong_file_is_refused_on_the_upload_form(world, as_user, content, name, message):
    response = upload(as_user(world.coordinator), world.program, content=content, name=name)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors["file"])


def test_a_new_roadmap_needs_a_title(world, as_user):
    response = upload(as_user(world.coordinator), world.program, title=" ")
    assert response.context["form"].errors["title"] == ["Укажите название новой дорожной карты."]


def test_the_preview_of_a_stale_token_sends_back_to_the_upload(world, as_user):
    response = as_user(world.coordinator).get(
        reverse("roadmaps:import_preview", args=[world.program.pk]), {"token": "nope"}
    )
    assert response.url == reverse("roadmaps:import", args=[world.program.pk])


def test_the_preview_takes_as_many_queries_for_many_rows_as_for_few(world, as_user):
    client = as_user(world.coordinator)

    def preview_queries(count):
        token = token_of(upload(client, world.program, content=plan_docx(count)))
        url = reverse("roadmaps:import_preview", args=[world.program.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"token": token}).status_code == 200
        return len(queries)

    assert preview_queries(3) == preview_queries(40)


def test_the_command_prints_the_preview_and_saves_nothing_on_a_dry_run(world, tmp_path):
    path = tmp_path / "приказ.docx"
    path.write_bytes(plan_docx())
    out = io.StringIO()
    call_command(
        "import_roadmap", str(path), "--program", str(world.program.pk), "--dry-run", stdout=out
    )
    text = out.getvalue()
    assert "[строка 3] 1 Мероприятие 1" in text
    assert "срок: I квартал 2024 → 01.01.2024 — 31.03.2024" in text
    assert "ответственные: МБОУ «Русскинская СОШ»; не найдены: координаторы" in text
    assert "модуль: Есть проект (новый)" in text
    assert "ничего не записано" in text
    assert not Roadmap.objects.exists()


def test_the_command_imports_into_a_roadmap(world, tmp_path):
    roadmap = f.RoadmapFactory(program=world.program)
    path = tmp_path / "план.xlsx"
    path.write_bytes(xlsx_file([HEADER, ["1", "Семинар", "2023–2024 учебный год", "", ""]]))
    out = io.StringIO()
    call_command(
        "import_roadmap", str(path), "--program", str(world.program.pk),
        "--roadmap", str(roadmap.pk), stdout=out,
    )  # fmt: skip
    item = roadmap.items.get()
    assert (item.title, item.starts_on.isoformat(), item.due_on.isoformat()) == (
        "Семинар",
        "2023-09-01",
        "2024-05-31",
    )
    assert "Загружено мероприятий: 1" in out.getvalue()


def test_the_command_refuses_what_it_cannot_read(world, tmp_path):
    path = tmp_path / "план.xlsx"
    path.write_bytes(xlsx_file([["1", "Семинар"], ["2", "Вебинар"]]))
    with pytest.raises(CommandError, match="Таблица не загружена"):
        call_command(
            "import_roadmap", str(path), "--program", str(world.program.pk), stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="Программа 0 не найдена"):
        call_command("import_roadmap", str(path), "--program", "0", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "import_roadmap", str(path), "--program", str(world.program.pk),
        "--columns", "number,title", stdout=out,
    )  # fmt: skip
    assert RoadmapItem.objects.count() == 2


def test_a_roadmap_page_opens_the_import_into_that_roadmap(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    client = as_user(world.coordinator)
    setup = client.get(reverse("roadmaps:setup_roadmap", args=[roadmap.pk])).content.decode()
    url = f"{reverse('roadmaps:import', args=[world.program.pk])}?roadmap={roadmap.pk}"
    assert url in setup
    form = client.get(url).context["form"]
    assert str(form["roadmap"].value()) == str(roadmap.pk)


def test_the_command_checks_the_file_as_an_upload(world, tmp_path):
    path = tmp_path / "приказ.docx"
    path.write_bytes(b"MZ this is a program, not a document")
    with pytest.raises(CommandError, match="не соответствует формату .docx"):
        call_command(
            "import_roadmap", str(path), "--program", str(world.program.pk), stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="Файл не прочитан"):
        call_command(
            "import_roadmap",
            str(tmp_path / "нет.docx"),
            "--program",
            str(world.program.pk),
            stdout=io.StringIO(),
        )


def test_a_file_larger_than_an_import_is_refused(world, as_user, monkeypatch):
    monkeypatch.setattr("roadmaps.import_forms.MAX_IMPORT_MB", 0.01)
    response = upload(as_user(world.coordinator), world.program)  # some 36 KB
    assert (
        "сохраните таблицу плана в отдельный документ" in response.context["form"].errors["file"][0]
    )
    assert not Roadmap.objects.exists()
