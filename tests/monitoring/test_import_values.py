"""Import of indicator values for a monitoring point from Excel."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.imports import indicator_header
from monitoring.models import Indicator, Measurement
from tests import factories as f
from tests.staff_helpers import import_decision, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    point = f.MonitoringPointFactory(program=world.program, title="Май")
    share = f.IndicatorFactory(program=world.program, code="1", title="Доля «2» по математике")
    yes_no = f.IndicatorFactory(
        program=world.program, code="2", title="Есть программа", unit=Indicator.Unit.YES_NO
    )
    return point, share, yes_no


def upload(world, client, point, content, name="значения.xlsx"):
    return client.post(
        reverse("monitoring:import_values", args=[world.program.pk]),
        {"point": point.pk, "file": SimpleUploadedFile(name, content)},
    )


def header(share, yes_no):
    return ["Школа", "ИНН", "Муниципалитет", indicator_header(share), indicator_header(yes_no)]


def test_the_template_lists_the_schools_and_the_saved_values(world, setup, as_user):
    point, share, yes_no = setup
    f.MeasurementFactory(
        indicator=share, point=point, organization=world.supported_school, value=12
    )
    response = as_user(world.coordinator).get(
        reverse("monitoring:import_values_template", args=[world.program.pk]), {"point": point.pk}
    )
    rows = list(load_workbook(BytesIO(response.content))["Значения"].iter_rows(values_only=True))
    assert list(rows[0]) == header(share, yes_no)
    assert rows[1][0] == world.supported_school.short_name and rows[1][3] == 12


def test_good_values_are_previewed_then_saved_as_submitted(world, setup, as_user):
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    content = xlsx(
        [header(share, yes_no), [world.supported_school.short_name, "", "", "12,5", "да"]]
    )
    preview = upload(world, client, point, content)
    plan = preview.context["plan"]
    assert plan.errors == [] and len(plan.creates) == 2
    confirm_url = reverse("monitoring:import_values_confirm", args=[world.program.pk])
    assert import_decision(preview) == (None, (confirm_url, preview.context["token"]))
    assert not Measurement.objects.exists()
    client.post(
        reverse("monitoring:import_values_confirm", args=[world.program.pk]),
        {"token": preview.context["token"]},
    )
    saved = dict(Measurement.objects.values_list("indicator__code", "value"))
    assert saved == {"1": Decimal("12.5"), "2": Decimal("1")}
    value = Measurement.objects.get(indicator=share)
    assert value.status == Measurement.Status.SUBMITTED
    assert value.entered_by == world.coordinator and value.submitted_at is not None
    assert value.history.count() == 1


def test_a_long_preview_lists_its_first_rows_and_counts_the_rest(
    world, setup, as_user, monkeypatch
):
    monkeypatch.setattr("core.imports.PREVIEW_ROWS", 1)
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    content = xlsx(
        [header(share, yes_no), [world.supported_school.short_name, "", "", "12,5", "да"]]
    )
    preview = upload(world, client, point, content)
    page = preview.content.decode()
    table = page[page.index('aria-label="Значения из файла"') : page.index("</table>")]
    assert table.count("<tr>") == 1 + 1
    assert "…и ещё 1 знач." in page
    # Confirmed, the whole file is written.
    client.post(
        reverse("monitoring:import_values_confirm", args=[world.program.pk]),
        {"token": preview.context["token"]},
    )
    assert Measurement.objects.filter(point=point).count() == 2


def test_one_wrong_cell_saves_nothing_and_is_named_with_its_row_and_column(world, setup, as_user):
    point, share, yes_no = setup
    content = xlsx(
        [
            header(share, yes_no),
            [world.supported_school.short_name, "", "", "150", "да"],
            [world.outsider_school.short_name, "", "", "10", ""],
            [world.curator_school.short_name, "", "", "десять", "может быть"],
        ]
    )
    response = upload(world, as_user(world.coordinator), point, content)
    errors = [(e.row, e.column, e.message) for e in response.context["plan"].errors]
    assert errors == [
        (2, indicator_header(share), "Процент должен быть от 0 до 100."),
        (3, "Школа", f"Школа «{world.outsider_school.short_name}» не участвует в программе."),
        (4, indicator_header(share), "«десять» — не число."),
        (4, indicator_header(yes_no), "«может быть» — не число."),
    ]
    assert response.context["token"] is None
    upload_url = reverse("monitoring:import_values", args=[world.program.pk])
    assert import_decision(response) == (upload_url, None)
    assert not Measurement.objects.exists()


def test_an_approved_value_is_not_overwritten(world, setup, as_user):
    point, share, yes_no = setup
    f.MeasurementFactory(
        indicator=share,
        point=point,
        organization=world.supported_school,
        value=20,
        status=Measurement.Status.APPROVED,
    )
    content = xlsx([header(share, yes_no), [world.supported_school.short_name, "", "", "25", ""]])
    response = upload(world, as_user(world.coordinator), point, content)
    assert [e.message for e in response.context["plan"].errors] == [
        "Значение уже утверждено; изменить его можно после возврата на доработку."
    ]


def test_a_changed_value_is_shown_old_and_new_and_updated(world, setup, as_user):
    point, share, yes_no = setup
    f.MeasurementFactory(
        indicator=share, point=point, organization=world.supported_school, value=20
    )
    client = as_user(world.coordinator)
    content = xlsx([header(share, yes_no), [world.supported_school.short_name, "", "", 25, ""]])
    preview = upload(world, client, point, content)
    (change,) = preview.context["plan"].updates
    assert (change.old, change.new) == (Decimal(20), Decimal(25))
    client.post(
        reverse("monitoring:import_values_confirm", args=[world.program.pk]),
        {"token": preview.context["token"]},
    )
    assert Measurement.objects.get().value == Decimal(25)


def test_files_that_are_not_excel_or_are_empty_are_refused(world, setup, as_user):
    point, share, yes_no = setup
    client = as_user(world.coordinator)
    garbage = upload(world, client, point, b"PK\x03\x04 broken zip")
    assert garbage.context["form"].errors["file"] == [
        "Файл не является книгой Excel (.xlsx). Скачайте шаблон и заполните его."
    ]
    empty = upload(world, client, point, b"")
    assert empty.context["form"].errors["file"] == ["Файл пуст."]
    unknown = upload(world, client, point, xlsx([["Школа", "99. Неизвестный"], ["А", 1]]))
    assert (
        "Столбцы не соответствуют показателям программы"
        in unknown.context["form"].errors["file"][0]
    )
    assert not Measurement.objects.exists()


def test_a_locked_point_takes_no_values(world, setup, as_user):
    point, share, yes_no = setup
    point.locked = True
    point.save()
    content = xlsx([header(share, yes_no), [world.supported_school.short_name, "", "", 10, ""]])
    response = upload(world, as_user(world.coordinator), point, content)
    assert response.context["form"].errors["point"] == [
        "Точка мониторинга закрыта: значения не принимаются."
    ]


def test_changed_values_are_written_with_their_history(world, setup, as_user):
    point, share, yes_no = setup
    saved = f.MeasurementFactory(
        indicator=share, point=point, organization=world.supported_school, value=20, status="draft"
    )
    revision = saved.revision
    client = as_user(world.coordinator)
    content = xlsx([header(share, yes_no), [world.supported_school.short_name, "", "", "25", ""]])
    preview = upload(world, client, point, content)
    client.post(
        reverse("monitoring:import_values_confirm", args=[world.program.pk]),
        {"token": preview.context["token"]},
    )
    saved.refresh_from_db()
    assert saved.value == Decimal("25")
    assert saved.status == Measurement.Status.SUBMITTED
    assert saved.entered_by == world.coordinator and saved.submitted_at is not None
    assert saved.revision == revision + 1
    latest = saved.history.order_by("-history_date", "-history_id").first()
    assert latest.value == Decimal("25") and latest.history_type == "~"
    assert latest.history_user == world.coordinator
