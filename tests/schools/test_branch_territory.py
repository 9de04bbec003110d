"""A branch's parent («Головная школа») is a school of the branch's own municipality, and an
importer may only hang a branch under a school they may edit: in the model's rules, in the
database and in the import."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from schools.imports import COLUMNS
from schools.models import Organization
from tests import factories as f
from tests.staff_helpers import xlsx

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in COLUMNS]


def row(**values):
    return [values.get(c.key, "") for c in COLUMNS]


def refused(change):
    with pytest.raises(IntegrityError), transaction.atomic():
        change()


def test_the_model_refuses_a_parent_of_another_municipality(world):
    branch = Organization(
        region=world.region,
        municipality=world.municipality,
        short_name="Филиал",
        name="Филиал",
        parent=world.outsider_school,
    )
    with pytest.raises(ValidationError) as error:
        branch.clean()
    assert "в том же муниципалитете" in str(error.value)


def test_the_database_refuses_a_new_branch_under_a_school_of_another_municipality(world):
    refused(
        lambda: f.OrganizationFactory(municipality=world.municipality, parent=world.outsider_school)
    )


def test_the_database_refuses_moving_a_school_under_a_parent_of_another_municipality(world):
    school = f.OrganizationFactory(municipality=world.municipality)
    refused(lambda: Organization.objects.filter(pk=school.pk).update(parent=world.outsider_school))
    school.refresh_from_db()
    assert school.parent_id is None


def test_the_database_refuses_moving_a_branch_away_from_its_parents_municipality(world):
    refused(
        lambda: Organization.objects.filter(pk=world.branch.pk).update(
            municipality=world.other_municipality
        )
    )
    refused(
        lambda: Organization.objects.filter(pk=world.supported_school.pk).update(
            municipality=world.other_municipality
        )
    )


def upload(client, world, rows):
    return client.post(
        reverse("schools:import"),
        {
            "region": world.region.pk,
            "file": SimpleUploadedFile("школы.xlsx", xlsx([HEADER, *rows])),
        },
    )


def test_a_municipal_coordinator_cannot_hang_a_branch_under_another_municipalitys_school(
    world, as_user
):
    response = upload(
        as_user(world.coordinator),
        world,
        [row(short_name="Новый филиал", municipality="Сургутский район", parent="МАОУ «СОШ №2»")],
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert not plan.is_valid
    assert [e.message for e in plan.errors] == [
        "Головная школа «МАОУ «СОШ №2»» вне вашей территории."
    ]
    assert not Organization.objects.filter(short_name="Новый филиал").exists()


def test_a_region_coordinator_cannot_hang_a_branch_across_municipalities(world, as_user):
    response = upload(
        as_user(world.region_coordinator),
        world,
        [row(short_name="Новый филиал", municipality="Сургутский район", parent="МАОУ «СОШ №2»")],
    )
    plan = response.context["plan"]
    assert len(plan.errors) == 1
    assert "в другом муниципалитете (г. Мегион)" in plan.errors[0].message
    assert response.context["token"] is None


def test_a_parent_in_the_same_file_must_share_the_municipality(world, as_user):
    response = upload(
        as_user(world.region_coordinator),
        world,
        [
            row(short_name="Головная", municipality="г. Мегион"),
            row(short_name="Филиал", municipality="Сургутский район", parent="Головная"),
        ],
    )
    plan = response.context["plan"]
    assert [e.row for e in plan.errors] == [3]
    assert "в другом муниципалитете" in plan.errors[0].message


def test_a_branch_of_an_editable_school_of_the_same_municipality_is_imported(world, as_user):
    client = as_user(world.coordinator)
    response = upload(
        client,
        world,
        [
            row(
                short_name="Новый филиал",
                municipality="Сургутский район",
                parent="МБОУ «Нижнесортымская СОШ»",
            )
        ],
    )
    assert response.context["plan"].is_valid
    client.post(reverse("schools:import_confirm"), {"token": response.context["token"]})
    assert Organization.objects.get(short_name="Новый филиал").parent == world.curator_school
