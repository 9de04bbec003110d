"""The schools import reads the code of the results tables (ФИС ОКО / РЦОИ) from its own
column or from a header that names it in other words, stores it, and refuses a code another
school of the region already holds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.imports import COLUMNS
from schools.models import Organization
from tests import factories as f
from tests.staff_helpers import xlsx

pytestmark = pytest.mark.django_db


def upload(client, world, content):
    return client.post(
        reverse("schools:import"),
        {"region": world.region.pk, "file": SimpleUploadedFile("школы.xlsx", content)},
    )


def import_file(client, world, rows):
    preview = upload(client, world, xlsx(rows))
    assert preview.context["plan"].errors == []
    client.post(reverse("schools:import_confirm"), {"token": preview.context["token"]})


@pytest.mark.parametrize(
    "header", ["Код ФИС ОКО / РЦОИ", "Логин ФИС ОКО", "Код ФИС ОКО", "Код РЦОИ", "логин  ОО"]
)
def test_the_code_is_read_from_its_column_and_stored(world, as_user, header):
    client = as_user(world.coordinator)
    import_file(
        client,
        world,
        [
            ["Краткое название", "Муниципалитет", "Код ОО", header],
            [world.supported_school.short_name, "Сургутский район", "0042", "sch861001"],
            ["МБОУ «Новая СОШ»", "Сургутский район", "", "sch861777"],
        ],
    )
    world.supported_school.refresh_from_db()
    # «Код ОО» stays the school's own code.
    assert (world.supported_school.code, world.supported_school.results_code) == (
        "0042",
        "sch861001",
    )
    assert Organization.objects.get(short_name="МБОУ «Новая СОШ»").results_code == "sch861777"


def test_the_template_has_the_column(world, as_user):
    assert "Код ФИС ОКО / РЦОИ" in [c.header for c in COLUMNS]


def test_the_preview_shows_the_new_code_beside_the_old(world, as_user):
    world.supported_school.results_code = "OLD01"
    world.supported_school.save()
    preview = upload(
        as_user(world.coordinator),
        world,
        xlsx([["Краткое название", "Логин ФИС ОКО"], [world.supported_school.short_name, "NEW01"]]),
    )
    (change,) = preview.context["plan"].updates
    assert change.changes == [("код ФИС ОКО / РЦОИ", "OLD01", "NEW01")]
    world.supported_school.refresh_from_db()
    assert world.supported_school.results_code == "OLD01", "the preview writes nothing"


def test_a_code_held_by_another_school_is_refused_with_its_holder(world, as_user):
    world.curator_school.results_code = "sch861001"
    world.curator_school.save()
    preview = upload(
        as_user(world.coordinator),
        world,
        xlsx([["Краткое название", "Код РЦОИ"], [world.supported_school.short_name, "SCH861001"]]),
    )
    (error,) = preview.context["plan"].errors
    assert error.column == "Код ФИС ОКО / РЦОИ"
    assert "уже у другой школы региона: «МБОУ «Нижнесортымская СОШ»»" in error.message


def test_one_code_for_two_schools_of_the_file_is_refused(world, as_user):
    other = f.OrganizationFactory(municipality=world.municipality, short_name="МБОУ «СОШ №9»")
    preview = upload(
        as_user(world.coordinator),
        world,
        xlsx(
            [
                ["Краткое название", "Код ФИС ОКО"],
                [world.supported_school.short_name, "sch1"],
                [other.short_name, "SCH1"],
            ]
        ),
    )
    (error,) = preview.context["plan"].errors
    assert (error.row, error.message) == (3, "Этот код уже у другой школы файла (строка 2).")
    assert not Organization.objects.exclude(results_code="").exists()
