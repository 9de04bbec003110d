"""Open data: a public program's aggregate figures by territory and point as CSV and JSON, with
the passport, the structure and the licence; territories of fewer than three schools
suppressed; no person and no single school in the files."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.open_data import COLUMNS, LICENSE_URL
from core.changes import last_changed_on
from dashboards.cache import dashboard_figures
from dashboards.scope import Scope
from monitoring.models import Measurement
from programs.models import Participant, Program
from schools.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def public(world):
    """A regional public program: four supported schools in the first municipality, two in the
    other, approved values with comments entered and approved by named people."""
    program = f.ProgramFactory(
        owner=world.ministry,
        level=Program.Level.REGIONAL,
        region=world.region,
        municipality=None,
        short_title="Региональный проект",
        is_public=True,
    )
    point = f.MonitoringPointFactory(program=program, title="31.05.2023")
    indicator = f.IndicatorFactory(program=program, code="1", title="Доля отметок «2» по ВПР")
    f.TargetFactory(indicator=indicator, point=point, value=20, comparison="le")
    roadmap = f.RoadmapFactory(program=program)
    people = []
    for n, municipality in enumerate([world.municipality] * 4 + [world.other_municipality] * 2):
        school = f.OrganizationFactory(
            municipality=municipality,
            short_name=f"МБОУ «Школа открытых данных {n}»",
            inn=f"86170{n:05d}",
            email=f"school{n}@example.ru",
        )
        f.ParticipantFactory(program=program, organization=school, role=Participant.Role.SUPPORTED)
        person = f.UserFactory(
            username=f"teacher{n}",
            first_name="Анна",
            last_name=f"Петрова{n}",
            email=f"teacher{n}@example.ru",
        )
        f.MembershipFactory(user=person, organization=school)
        people.append(person)
        f.MeasurementFactory(
            indicator=indicator,
            point=point,
            organization=school,
            value=10 + n,
            status=Measurement.Status.APPROVED,
            comment=f"Комментарий учителя Петровой{n}",
            entered_by=person,
            approved_by=world.region_coordinator,
        )
        item = f.RoadmapItemFactory(roadmap=roadmap, title=f"Пункт школы {n}")
        item.responsible.add(school)
    return program


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_holds_the_programs_figures_by_territory(world, public):
    response = Client().get(reverse("api:open_data_csv", args=[public.pk]))
    lines = rows(response)
    assert list(lines[0]) == COLUMNS
    by_where = {}
    for line in lines:
        by_where.setdefault(line["territory"], []).append(line)
    assert set(by_where) == {
        "Ханты-Мансийский автономный округ – Югра",
        "Сургутский район",
        "г. Мегион",
    }

    def figure(territory, measure):
        return next(x for x in by_where[territory] if x["measure"] == measure)

    assert figure("Ханты-Мансийский автономный округ – Югра", "schools")["value"] == "6"
    surgut = figure("Сургутский район", "indicator_average")
    dashboard = dashboard_figures(public, Scope(municipality=world.municipality), timezone.now())
    average = dashboard["indicators"]["rows"][0].cells[0]["average"]
    assert float(surgut["value"]) == float(average) == 11.5
    assert surgut["target"] == "20" and surgut["comparison"] == "le"
    assert surgut["schools_counted"] == "4" and surgut["schools_met"] == "4"
    assert surgut["point"] == "31.05.2023" and surgut["indicator_code"] == "1"
    assert figure("Сургутский район", "roadmap_items_total")["value"] == "4"


def test_a_territory_of_fewer_than_three_schools_is_suppressed(world, public):
    lines = rows(Client().get(reverse("api:open_data_csv", args=[public.pk])))
    megion = [line for line in lines if line["territory"] == "г. Мегион"]
    assert [line["measure"] for line in megion] == ["suppressed"]
    assert megion[0]["value"] == ""


def test_a_small_program_is_suppressed_whole(world):
    world.program.is_public = True
    world.program.save()
    lines = rows(Client().get(reverse("api:open_data_csv", args=[world.program.pk])))
    assert [(line["territory_kind"], line["measure"]) for line in lines] == [
        ("program", "suppressed")
    ]


def test_the_files_hold_no_personal_data_and_no_single_school(world, public, superuser):
    client = Client()
    files = [
        client.get(reverse(name, args=[public.pk])).content.decode("utf-8")
        for name in (
            "api:open_data_csv",
            "api:open_data_json",
            "api:open_data_meta",
            "api:open_data_structure",
        )
    ]
    text = "\n".join(files)
    forbidden = set()
    for user in get_user_model().objects.all():
        # The world's usernames are plain words («school», «region») that the structure's
        # descriptions use; the people's names and addresses are what must not appear.
        forbidden |= {user.email, user.last_name, user.get_full_name()}
        if user.username.startswith("teacher"):
            forbidden.add(user.username)
    for school in Organization.objects.schools():
        forbidden |= {school.short_name, school.name, school.inn, school.email}
    forbidden |= set(Measurement.objects.values_list("comment", flat=True))
    forbidden.discard("")
    assert [word for word in forbidden if word in text] == []
    assert "@" not in text


def test_the_json_carries_the_passport_the_structure_and_the_same_rows(world, public):
    client = Client()
    body = json.loads(client.get(reverse("api:open_data_json", args=[public.pk])).content)
    passport = body["passport"]
    assert LICENSE_URL in passport["license"] and "CC BY 4.0" in passport["license"]
    assert passport["modified"] == last_changed_on(public.pk).isoformat()
    assert passport["creator"] == world.ministry.name
    assert [field["name"] for field in body["structure"]] == COLUMNS
    csv_rows = rows(client.get(reverse("api:open_data_csv", args=[public.pk])))
    assert len(body["data"]) == len(csv_rows)
    assert set(body["data"][0]) == set(COLUMNS)


def test_the_passport_is_property_value_as_the_guidelines_ask(world, public):
    response = Client().get(reverse("api:open_data_meta", args=[public.pk]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert lines[0] == ["property", "value"]
    passport = dict(lines[1:])
    assert passport["standardversion"] == "http://opendata.gosmonitor.ru/standard/3.0"
    assert passport["format"] == "csv"
    assert passport["data"].endswith(reverse("api:open_data_csv", args=[public.pk]))
    structure = Client().get(reverse("api:open_data_structure", args=[public.pk]))
    fields = list(csv.reader(io.StringIO(structure.content.decode("utf-8"))))
    assert fields[0] == ["field", "description"]
    assert [line[0] for line in fields[1:]] == COLUMNS


@pytest.mark.parametrize(
    "name",
    ["api:open_data_csv", "api:open_data_json", "api:open_data_meta", "api:open_data_structure"],
)
def test_a_program_without_a_public_page_has_no_open_data_even_for_its_coordinator(
    world, as_user, name
):
    assert Client().get(reverse(name, args=[world.program.pk])).status_code == 404
    assert as_user(world.coordinator).get(reverse(name, args=[world.program.pk])).status_code == 404


def test_the_public_page_links_the_files_with_the_licence_and_the_date(world, public):
    page = Client().get(reverse("programs:public", args=[public.pk])).content.decode()
    assert reverse("api:open_data_csv", args=[public.pk]) in page
    assert reverse("api:open_data_json", args=[public.pk]) in page
    assert "CC BY 4.0" in page
    assert last_changed_on(public.pk).strftime("%d.%m.%Y") in page
    index = Client().get(reverse("api:open_data")).content.decode()
    assert reverse("api:open_data_meta", args=[public.pk]) in index
    assert str(world.program.short_title) not in index
