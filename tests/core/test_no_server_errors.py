"""Input that used to give a server error now gets a Russian message, a 400 or a 404."""

import pytest
from django.urls import reverse

from programs.models import Participant
from roadmaps.models import RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["schools:list", "programs:list"])
def test_a_search_of_fifty_thousand_characters_is_refused_politely(world, as_user, page):
    response = as_user(world.coordinator).get(reverse(page), {"q": "ж" * 50_000})
    assert response.status_code == 200
    assert "не более 200 символов" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "99999999999999999999", "-5"])
@pytest.mark.parametrize("page", ["schools:list", "programs:list"])
def test_an_impossible_year_is_refused_politely(world, as_user, page, year):
    response = as_user(world.coordinator).get(reverse(page), {"year": year})
    assert response.status_code == 200
    assert "Убедитесь, что это значение" in response.content.decode()


@pytest.mark.parametrize("query", ["point=abc", "point=99999999999999999999", "point="])
def test_a_wrong_point_of_the_values_template_is_not_found(world, as_user, query):
    url = reverse("monitoring:import_values_template", args=[world.program.pk])
    assert as_user(world.coordinator).get(f"{url}?{query}").status_code == 404


@pytest.mark.parametrize("region", ["abc", "99999999999999999999", "NaN", "1e309"])
def test_a_wrong_region_of_the_school_template_is_not_found(world, as_user, region):
    response = as_user(world.coordinator).get(
        reverse("schools:import_template"), {"region": region}
    )
    assert response.status_code == 404


def test_no_region_in_the_school_template_means_the_users_own(world, as_user):
    assert as_user(world.coordinator).get(reverse("schools:import_template")).status_code == 200


@pytest.mark.parametrize(
    "back", ["roadmaps", "roadmaps:roadmap", "//evil.example/", "javascript:x"]
)
def test_a_next_that_is_not_a_path_of_the_portal_is_ignored(scene, world, as_user, back):
    item = scene.inside.item
    response = as_user(world.school).post(
        reverse("roadmaps:item_status", args=[item.pk]),
        {
            f"item{item.pk}-status": RoadmapItem.Status.IN_PROGRESS,
            f"item{item.pk}-revision": item.revision,
            "next": back,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("roadmaps:roadmap", args=[item.roadmap_id])


def test_twenty_digit_ids_in_a_multiple_choice_field_are_refused_politely(world, as_user):
    response = as_user(world.coordinator).post(
        reverse("programs:setup_participants", args=[world.program.pk]),
        {
            "role": Participant.Role.SUPPORTED,
            "organizations": ["99999999999999999999"],
            "year": 2022,
        },
    )
    assert response.status_code == 200
    assert "Школа вне вашей территории" in response.content.decode()


def test_twenty_digit_ids_in_a_single_choice_field_are_refused_politely(world, as_user):
    curator = f.OrganizationFactory(municipality=world.municipality)
    response = as_user(world.coordinator).post(
        reverse("programs:setup_pairs", args=[world.program.pk]),
        {"curator_school": curator.pk, "supported_school": "99999999999999999999"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["supported_school"]


@pytest.mark.parametrize("digits", ["²", "³⁴", "①"])
def test_digits_that_are_no_number_are_refused_politely(world, as_user, digits):
    """Python calls «²» a digit, but no id or year is written with it."""
    client = as_user(world.region_coordinator)
    listed = client.get(
        reverse("schools:list"), {"region": digits, "municipality": digits, "year": digits}
    )
    assert listed.status_code == 200
    pairs = client.post(
        reverse("programs:setup_pairs", args=[world.program.pk]),
        {"curator_school": digits, "supported_school": digits},
    )
    assert pairs.status_code == 200
    assert "Выберите" in pairs.content.decode() or "вариант" in pairs.content.decode()
