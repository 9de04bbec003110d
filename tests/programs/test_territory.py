"""A program's territory is named the same in the programs list, on the home page, on the
program's page and in its passport report."""

import pytest
from django.urls import reverse

from programs.models import Program
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional(world):
    return f.ProgramFactory(
        owner=world.ministry,
        level=Program.Level.REGIONAL,
        region=world.region,
        municipality=None,
        short_title="Региональный проект",
    )


def test_a_regional_programs_territory_is_its_region(regional):
    assert regional.territory_name == "Ханты-Мансийский автономный округ – Югра"


def test_a_municipal_programs_territory_is_its_municipality_and_a_federal_ones_the_country(
    world,
):
    assert world.program.territory_name == "Сургутский район"
    assert Program(level=Program.Level.FEDERAL).territory_name == "Российская Федерация"


def test_every_page_names_the_regional_programs_territory(world, regional, as_user):
    client = as_user(world.region_coordinator)
    listed = client.get(reverse("programs:list"))
    row = next(r for r in listed.context["table"].rows if r.record == regional)
    assert row.get_cell("territory") == regional.territory_name
    exported = client.get(reverse("programs:list"), {"_export": "xlsx"})
    assert exported.status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert f"<td>{regional.territory_name}</td>" in home
    page = client.get(regional.get_absolute_url()).content.decode()
    assert regional.territory_name in page
    passport = client.get(reverse("reports:report", args=["passport", regional.pk]))
    assert regional.territory_name in passport.content.decode()
