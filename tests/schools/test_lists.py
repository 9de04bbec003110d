"""Lists with filters, sorting, pages and Excel export: programs, schools, events, items."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Program
from schools.models import SchoolStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


def listed(response):
    return [row.record for row in response.context["table"].paginated_rows]


def test_the_school_list_shows_only_the_territory_and_filters_by_category_of_a_year(world, as_user):
    f.SchoolStatusFactory(school=world.supported_school, year=2022)
    f.SchoolStatusFactory(
        school=world.curator_school, year=2021, category=SchoolStatus.Category.LOW_RESULTS
    )
    client = as_user(world.coordinator)
    everyone = listed(client.get(reverse("schools:list")))
    assert world.outsider_school not in everyone
    assert world.supported_school in everyone
    in_2022 = listed(
        client.get(reverse("schools:list"), {"category": "low_results", "year": "2022"})
    )
    assert in_2022 == [world.supported_school]
    any_year = listed(client.get(reverse("schools:list"), {"category": "low_results"}))
    assert set(any_year) == {world.supported_school, world.curator_school}


def test_the_school_list_filters_by_program_and_shows_the_participation(world, as_user):
    client = as_user(world.coordinator)
    response = client.get(reverse("schools:list"), {"program": world.program.pk})
    assert set(listed(response)) == {world.supported_school, world.curator_school}
    page = response.content.decode()
    assert "Вектор на развитие" in page and "школа адресной поддержки" in page


def test_the_school_list_sorts_by_name_both_ways(world, as_user):
    client = as_user(world.coordinator)
    up = [s.short_name for s in listed(client.get(reverse("schools:list"), {"sort": "short_name"}))]
    down = [
        s.short_name for s in listed(client.get(reverse("schools:list"), {"sort": "-short_name"}))
    ]
    assert up == sorted(up) and down == list(reversed(up))


def test_the_school_list_exports_every_filtered_row_to_excel(world, as_user):
    f.SchoolStatusFactory(school=world.supported_school, year=2022)
    response = as_user(world.coordinator).get(
        reverse("schools:list"), {"category": "low_results", "_export": "xlsx"}
    )
    assert "filename*=utf-8''%D0%A8%D0%BA%D0%BE%D0%BB%D1%8B.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Школа", "Муниципалитет", "Регион")
    assert [r[0] for r in rows[1:]] == [world.supported_school.short_name]
    assert "2022: ШНОР" in rows[1][4]


def test_the_program_list_filters_by_level(world, as_user):
    regional = f.ProgramFactory(
        owner=world.ministry, level=Program.Level.REGIONAL, municipality=None
    )
    client = as_user(world.region_coordinator)
    assert set(listed(client.get(reverse("programs:list")))) == {world.program, regional}
    only = listed(client.get(reverse("programs:list"), {"level": "regional"}))
    assert only == [regional]
    counted = listed(client.get(reverse("programs:list"), {"level": "municipal"}))[0]
    assert (counted.supported_count, counted.pairs_count) == (1, 1)


def test_the_item_list_filters_late_items_and_by_responsible(world, as_user):
    import datetime

    roadmap = f.RoadmapFactory(program=world.program)
    late = f.RoadmapItemFactory(roadmap=roadmap, due_on=datetime.date(2023, 1, 31), starts_on=None)
    late.responsible.add(world.supported_school)
    f.RoadmapItemFactory(
        roadmap=roadmap, due_on=datetime.date(2099, 1, 31), starts_on=datetime.date(2099, 1, 1)
    )
    url = reverse("roadmaps:items", args=[world.program.pk])
    client = as_user(world.coordinator)
    assert listed(client.get(url, {"late": "true"})) == [late]
    assert listed(client.get(url, {"responsible": world.supported_school.pk})) == [late]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_cost_the_same_queries_for_5_and_50_rows(world, as_user):
    client = as_user(world.region_coordinator)
    roadmap = f.RoadmapFactory(program=world.program)
    urls = [
        reverse("schools:list"),
        reverse("programs:list"),
        reverse("roadmaps:items", args=[world.program.pk]),
        reverse("roadmaps:events", args=[world.program.pk]),
    ]

    def grow(count):
        for _ in range(count):
            school = f.OrganizationFactory(municipality=world.municipality)
            f.SchoolStatusFactory(school=school)
            f.ParticipantFactory(program=world.program, organization=school)
            f.ProgramFactory(owner=world.authority)
            item = f.RoadmapItemFactory(roadmap=roadmap)
            item.responsible.add(school)
            f.EventFactory(program=world.program).invited.add(school)

    grow(5)
    few = [count_queries(client, url) for url in urls]
    grow(45)
    many = [count_queries(client, url) for url in urls]
    assert few == many


@pytest.mark.parametrize("name", ["region", "municipality"])
def test_a_territory_past_a_keys_range_is_an_invalid_choice_not_a_server_error(
    world, as_user, django_user_model, name
):
    # An administrator covers every municipality: the choices depend on the region asked for.
    admin = django_user_model.objects.create_superuser("root-lists", password="x")
    for user in (world.coordinator, admin):
        response = as_user(user).get(reverse("schools:list"), {name: "9" * 20})
        assert response.status_code == 200
        assert name in response.context["filter"].form.errors
        assert listed(response) == []
