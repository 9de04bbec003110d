"""Import of schools and their status categories from Excel: preview, confirm, and refusals."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ImportJob
from schools.imports import COLUMNS
from schools.models import Organization, SchoolStatus
from tests.staff_helpers import import_decision, xlsx

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in COLUMNS]


def row(**values):
    keys = [c.key for c in COLUMNS]
    return [values.get(key, "") for key in keys]


def upload(client, world, content, name="школы.xlsx"):
    return client.post(
        reverse("schools:import"),
        {"region": world.region.pk, "file": SimpleUploadedFile(name, content)},
    )


def good_file(world):
    return xlsx(
        [
            HEADER,
            row(
                short_name="МБОУ «Лянторская СОШ № 3»",
                municipality="Сургутский район",
                inn="8617001234",
                year=2022,
                categories="ШНОР; ШССУ",
                source="Приказ № 5",
            ),
            row(
                short_name=world.supported_school.short_name,
                municipality="сургутский  район",
                address="п. Русскинская, ул. Школьная, 1",
                year=2022,
                categories="зона риска",
            ),
        ]
    )


def test_the_template_offers_the_columns_and_the_accepted_words(world, as_user):
    response = as_user(world.coordinator).get(reverse("schools:import_template"))
    book = load_workbook(BytesIO(response.content))
    assert [c.value for c in book["Школы"][1]] == HEADER
    words = [c.value for c in book["Справочник"]["A"]]
    assert "ШНОР" in words and "Сургутский район" in [c.value for c in book["Справочник"]["B"]]


def test_a_good_file_is_previewed_then_saved_on_confirmation(world, as_user):
    client = as_user(world.coordinator)
    before = Organization.objects.count()
    preview = upload(client, world, good_file(world))
    plan = preview.context["plan"]
    assert plan.errors == []
    assert [c.short_name for c in plan.creates] == ["МБОУ «Лянторская СОШ № 3»"]
    assert [c.short_name for c in plan.updates] == [world.supported_school.short_name]
    assert plan.status_count == 3
    assert import_decision(preview) == (
        None,
        (reverse("schools:import_confirm"), preview.context["token"]),
    )
    # Nothing is saved by the preview.
    assert Organization.objects.count() == before
    token = preview.context["token"]
    done = client.post(reverse("schools:import_confirm"), {"token": token})
    assert done.url == reverse("schools:list")
    new = Organization.objects.get(inn="8617001234")
    assert new.municipality == world.municipality and new.region == world.region
    assert set(new.statuses.values_list("year", "category")) == {
        (2022, "low_results"),
        (2022, "hard_social_conditions"),
    }
    world.supported_school.refresh_from_db()
    assert world.supported_school.address == "п. Русскинская, ул. Школьная, 1"
    assert world.supported_school.statuses.filter(category="risk_zone").exists()
    # The same token is imported once: a second confirmation shows what the first one wrote.
    again = client.post(reverse("schools:import_confirm"), {"token": token})
    job = ImportJob.objects.get(token=token)
    assert again.url == reverse("schools:import_job", args=[job.pk])
    page = client.get(again.url).content.decode()
    assert "школ создано — 1, изменено — 1" in page
    assert Organization.objects.count() == before + 1


def test_a_file_with_one_wrong_row_saves_nothing_and_names_the_row_column_and_reason(
    world, as_user
):
    content = xlsx(
        [
            HEADER,
            row(
                short_name="Школа А", municipality="Сургутский район", year=2022, categories="ШНОР"
            ),
            row(
                short_name="Школа Б",
                municipality="Сургутский район",
                year=2022,
                categories="хорошие",
            ),
            row(short_name="Школа В", municipality="г. Мегион"),
            row(short_name="Школа Г", municipality="Сургутский район", inn="12345"),
        ]
    )
    client = as_user(world.coordinator)
    response = upload(client, world, content)
    errors = [(e.row, e.column, e.message) for e in response.context["plan"].errors]
    assert errors == [
        (
            3,
            "Категории",
            "Неизвестная категория «хорошие». Допустимо: ШНОР, ШССУ, зона риска, "
            "депривированные, несправляющиеся, резильентные, эффективные.",
        ),
        (4, "Муниципалитет", "Муниципалитет «г. Мегион» вне вашей территории."),
        (5, "ИНН", "ИНН — 10 или 12 цифр."),
    ]
    assert response.context["token"] is None
    assert import_decision(response) == (reverse("schools:import"), None)
    page = response.content.decode()
    assert "Неизвестная категория «хорошие»" in page and "Подтвердить загрузку" not in page
    assert not Organization.objects.filter(short_name__startswith="Школа ").exists()
    assert not SchoolStatus.objects.exists()


def test_a_file_that_is_not_excel_is_refused_beside_the_file(world, as_user):
    response = upload(as_user(world.coordinator), world, b"just some text, not a workbook")
    assert response.context["form"].errors["file"] == [
        "Файл не является книгой Excel (.xlsx). Скачайте шаблон и заполните его."
    ]
    csv = upload(as_user(world.coordinator), world, b"a;b", name="школы.csv")
    assert csv.context["form"].errors["file"] == [
        "Нужен файл Excel с расширением .xlsx (шаблон со страницы)."
    ]


def test_an_empty_file_and_a_file_without_rows_are_refused(world, as_user):
    empty = upload(as_user(world.coordinator), world, b"")
    assert empty.context["form"].errors["file"] == ["Файл пуст."]
    headers_only = upload(as_user(world.coordinator), world, xlsx([HEADER]))
    assert headers_only.context["form"].errors["file"] == ["В файле нет строк с данными."]
    no_columns = upload(as_user(world.coordinator), world, xlsx([["Школа"], ["МБОУ"]]))
    assert no_columns.context["form"].errors["file"] == [
        "Нет обязательных столбцов: «Краткое название»."
    ]


def test_the_confirmation_checks_the_file_again(world, as_user):
    client = as_user(world.coordinator)
    preview = upload(
        client,
        world,
        xlsx([HEADER, row(short_name="Новая школа", municipality="Сургутский район")]),
    )
    # Meanwhile the municipality is renamed: the previewed row no longer resolves.
    world.municipality.name = "Сургутский муниципальный район"
    world.municipality.save()
    response = client.post(reverse("schools:import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 200
    assert response.context["plan"].errors
    assert not Organization.objects.filter(short_name="Новая школа").exists()


def test_schools_of_another_territory_are_not_changed(world, as_user):
    content = xlsx([HEADER, row(short_name=world.outsider_school.short_name, address="Чужой")])
    response = upload(as_user(world.coordinator), world, content)
    assert [e.message for e in response.context["plan"].errors] == [
        "Эта школа вне вашей территории."
    ]


def test_a_token_of_another_session_is_not_found(world, as_user):
    preview = upload(as_user(world.coordinator), world, good_file(world))
    other = as_user(world.region_coordinator).post(
        reverse("schools:import_confirm"), {"token": preview.context["token"]}
    )
    assert other.url == reverse("schools:import")
    assert not Organization.objects.filter(inn="8617001234").exists()


def test_a_branch_is_tied_to_its_head_school(world, as_user):
    client = as_user(world.coordinator)
    content = xlsx(
        [
            HEADER,
            row(short_name="Головная СОШ", municipality="Сургутский район"),
            row(
                short_name="Филиал НШ",
                municipality="Сургутский район",
                parent="Головная СОШ",
            ),
        ]
    )
    preview = upload(client, world, content)
    client.post(reverse("schools:import_confirm"), {"token": preview.context["token"]})
    assert Organization.objects.get(short_name="Филиал НШ").parent.short_name == "Головная СОШ"
