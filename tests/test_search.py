"""The search in the header: each person finds what they may open and nothing else; Russian
words match whatever their case and «ё»; a bounded number of results and of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.search import fold, matching
from roadmaps.models import RoadmapItem
from schools.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def findable(world):
    """One thing of each kind named «Вектор» in the world's program, and the same kinds in a
    program of another municipality."""
    roadmap = f.RoadmapFactory(program=world.program)
    here = {
        "item": f.RoadmapItemFactory(roadmap=roadmap, title="Старт проекта «Вектор»"),
        "event": f.EventFactory(program=world.program, title="Семинар «Вектор роста»"),
        "document": f.DocumentFactory(
            program=world.program,
            organization=world.supported_school,
            title="Программа «Вектор» школы",
        ),
    }
    other_program = f.ProgramFactory(
        owner=world.other_authority, short_title="Вектор Мегиона", title="Вектор успеха"
    )
    elsewhere = {
        "program": other_program,
        "item": f.RoadmapItemFactory(
            roadmap=f.RoadmapFactory(program=other_program), title="Вектор: совещание"
        ),
        "event": f.EventFactory(program=other_program, title="Вебинар «Вектор»"),
        "document": f.DocumentFactory(
            program=other_program, organization=world.outsider_school, title="Вектор СОШ №2"
        ),
        "school": f.OrganizationFactory(
            municipality=world.other_municipality, short_name="МАОУ «Векторная СОШ»"
        ),
    }
    return here, elsewhere


def found(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return {r.key: list(r.rows) for r in response.context["results"]}, response


def test_the_coordinator_finds_every_kind_of_their_territory_only(world, as_user, findable):
    here, elsewhere = findable
    results, response = found(as_user(world.coordinator), "вектор")
    assert results["programs"] == [world.program]
    assert results["items"] == [here["item"]]
    assert results["events"] == [here["event"]]
    assert results["documents"] == [here["document"]]
    assert "schools" not in results
    html = response.content.decode()
    assert here["item"].get_absolute_url() in html
    assert elsewhere["item"].get_absolute_url() not in html


def test_the_other_coordinator_finds_their_own_territory(world, as_user, findable):
    here, elsewhere = findable
    results, _ = found(as_user(world.other_coordinator), "вектор")
    assert results["programs"] == [elsewhere["program"]]
    assert results["items"] == [elsewhere["item"]]
    assert results["events"] == [elsewhere["event"]]
    assert results["documents"] == [elsewhere["document"]]
    assert results["schools"] == [elsewhere["school"]]


def test_the_supported_school_finds_its_program_and_its_documents(world, as_user, findable):
    here, _ = findable
    results, _ = found(as_user(world.school), "вектор")
    assert results["programs"] == [world.program]
    assert results["documents"] == [here["document"]]
    assert here["item"] in results["items"]


def test_an_outsider_finds_nothing_of_another_territory(world, as_user, findable):
    here, _ = findable
    results, response = found(as_user(world.outsider), "вектор")
    for kind in ("item", "event", "document"):
        assert here[kind] not in results.get(f"{kind}s", [])
    # Their own school's document of the other program is theirs to see.
    assert [d.title for d in results["documents"]] == ["Вектор СОШ №2"]
    assert world.program not in results.get("programs", [])
    outsider_found, _ = found(as_user(world.outsider), "Русскинская")
    assert outsider_found == {}
    assert (
        "ничего не найдено"
        in as_user(world.outsider).get(reverse("search"), {"q": "Русскинская"}).content.decode()
    )


@pytest.mark.parametrize("query", ["русскинская", "РУССКИНСКАЯ", "«Русскинская»"])
def test_school_names_match_in_any_case(world, as_user, query):
    results, _ = found(as_user(world.coordinator), query)
    # The school and its branch «филиал «Русскинская НШ»».
    assert results["schools"] == [world.supported_school, world.branch]


@pytest.mark.parametrize("query", ["Русскинская сош", "сош русск"])
def test_every_word_must_match_in_any_order(world, as_user, query):
    results, _ = found(as_user(world.coordinator), query)
    assert results["schools"] == [world.supported_school]


def test_yo_and_ye_are_one_letter(world):
    f.OrganizationFactory(municipality=world.municipality, short_name="МБОУ «Ёлкинская СОШ»")
    assert matching(Organization.objects.all(), "елкинская", ["short_name"]).count() == 1
    assert matching(Organization.objects.all(), "ЁЛКИНСКАЯ", ["short_name"]).count() == 1
    assert fold("ЁЖ Ёж") == "еж еж"


def test_results_are_bounded_and_the_queries_do_not_grow_with_them(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    client = as_user(world.coordinator)

    def queries_for(count):
        RoadmapItem.objects.all().delete()
        for n in range(count):
            f.RoadmapItemFactory(roadmap=roadmap, title=f"Семинар кураторов {n}")
        with CaptureQueriesContext(connection) as queries:
            results, response = found(client, "семинар")
        return len(queries), results, response

    few, _, _ = queries_for(2)
    many, results, response = queries_for(25)
    assert few == many
    assert len(results["items"]) == 10
    assert "Показаны первые 10" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"), [("в", "Введите не меньше 2 знаков."), ("«»", "Введите слово")]
)
def test_a_too_short_query_is_explained(world, as_user, query, message):
    response = as_user(world.coordinator).get(reverse("search"), {"q": query})
    assert message in response.content.decode()


def test_the_header_has_the_search_and_keeps_the_query(world, as_user):
    client = as_user(world.coordinator)
    home = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("search")}"' in home
    page = client.get(reverse("search"), {"q": "вектор"}).content.decode()
    assert (
        'id="portal-search" placeholder="Поиск: школа, программа, мероприятие…" value="вектор"'
        in page
    )


def test_search_needs_a_signed_in_person(client):
    response = client.get(reverse("search"), {"q": "вектор"})
    assert response.status_code == 302 and "login" in response.url
