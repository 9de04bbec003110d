"""Roadmap set-up: roadmaps, items whose deadline is parsed as typed, and their order."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Participant, Program
from roadmaps.models import Roadmap, RoadmapItem
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_program_roadmap_is_created(world, as_user):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup", args=[world.program.pk]),
        {"create": "1", "title": "План-график", "level": Roadmap.Level.PROGRAM},
    )
    roadmap = Roadmap.objects.get(title="План-график")
    assert response.url == reverse("roadmaps:setup_roadmap", args=[roadmap.pk])
    assert roadmap.program == world.program


@pytest.mark.parametrize(
    ("level", "field", "message"),
    [
        (
            Roadmap.Level.SCHOOL,
            "organization",
            "У дорожной карты школы должна быть указана школа.",
        ),
        (Roadmap.Level.PAIR, "pair", "У дорожной карты пары должна быть указана пара."),
    ],
)
def test_a_roadmap_missing_its_school_or_pair_is_refused(world, as_user, level, field, message):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup", args=[world.program.pk]),
        {"create": "1", "title": "Карта", "level": level},
    )
    assert response.context["form"].errors[field] == [message]
    assert not Roadmap.objects.exists()


def test_every_supported_school_gets_a_roadmap_with_the_template_items(world, as_user):
    template = f.RoadmapFactory(program=world.program)
    f.RoadmapItemFactory(roadmap=template, title="Самоанализ")
    f.RoadmapItemFactory(roadmap=template, title="Антирисковая программа")
    extra = f.OrganizationFactory(municipality=world.municipality)
    f.ParticipantFactory(program=world.program, organization=extra)
    url = reverse("roadmaps:setup", args=[world.program.pk])
    data = {"bulk": "1", "bulk-title": "Дорожная карта", "bulk-copy_from": template.pk}
    as_user(world.coordinator).post(url, data)
    as_user(world.coordinator).post(url, data)
    school_maps = Roadmap.objects.filter(level=Roadmap.Level.SCHOOL)
    supported = set(
        world.program.participants.filter(role=Participant.Role.SUPPORTED).values_list(
            "organization", flat=True
        )
    )
    assert set(school_maps.values_list("organization", flat=True)) == supported
    assert school_maps.count() == len(supported)
    for roadmap in school_maps:
        assert list(roadmap.items.values_list("title", flat=True)) == [
            "Самоанализ",
            "Антирисковая программа",
        ]


def test_the_set_up_page_lists_and_copies_only_the_roadmaps_the_coordinator_sees(world, as_user):
    program = f.ProgramFactory(
        owner=world.ministry, level=Program.Level.FEDERAL, region=None, municipality=None
    )
    near = f.RoadmapFactory(
        program=program,
        level=Roadmap.Level.SCHOOL,
        organization=world.supported_school,
        title="Дорожная карта Русскинской СОШ",
    )
    far = f.RoadmapFactory(
        program=program,
        level=Roadmap.Level.SCHOOL,
        organization=f.OrganizationFactory(),
        title="Дорожная карта дальней школы",
    )
    client = as_user(world.region_coordinator)
    assert client.get(far.get_absolute_url()).status_code == 404
    url = reverse("roadmaps:setup", args=[program.pk])
    response = client.get(url)
    assert list(response.context["roadmaps"]) == [near]
    assert list(response.context["bulk"].fields["copy_from"].queryset) == [near]
    assert "Дорожная карта дальней школы" not in response.content.decode()
    response = client.post(url, {"bulk": "1", "bulk-title": "ДК", "bulk-copy_from": far.pk})
    assert "Выберите корректный вариант" in response.context["bulk"].errors["copy_from"][0]


def test_the_roadmaps_set_up_page_makes_the_same_queries_for_5_and_50_pairs(world, as_user):
    client = as_user(world.coordinator)
    url = reverse("roadmaps:setup", args=[world.program.pk])

    def grow(count):
        for _ in range(count):
            pair = f.CuratorPairFactory(program=world.program)
            f.RoadmapFactory(program=world.program, level=Roadmap.Level.PAIR, pair=pair)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(5)
    few = queries()
    grow(45)
    assert queries() == few


@pytest.fixture
def roadmap(world):
    return f.RoadmapFactory(program=world.program)


def item_data(**changes):
    data = {"number": "1.", "title": "Семинар для управленческих команд"}
    data.update(changes)
    return data


def test_an_items_dates_follow_from_its_deadline_wording(world, as_user, roadmap):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]),
        item_data(schedule_text="Февраль – декабрь"),
    )
    assert response.status_code == 302
    item = RoadmapItem.objects.get()
    # The program runs in 2023, so a wording without a year means 2023.
    assert (item.starts_on, item.due_on) == (datetime.date(2023, 2, 1), datetime.date(2023, 12, 31))


def test_dates_typed_by_hand_are_kept_when_asked(world, as_user, roadmap):
    as_user(world.coordinator).post(
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]),
        item_data(
            schedule_text="по графику Минпросвещения", manual_dates="on", due_on="2023-10-15"
        ),
    )
    item = RoadmapItem.objects.get()
    assert (item.starts_on, item.due_on) == (None, datetime.date(2023, 10, 15))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"manual_dates": "on", "starts_on": "2023-09-01", "due_on": "2023-05-01"},
            "Срок мероприятия не может быть раньше его начала.",
        ),
        ({"manual_dates": "on"}, "Укажите срок или снимите отметку «даты вручную»."),
    ],
)
def test_wrong_item_dates_are_refused_beside_the_due_date(
    world, as_user, roadmap, changes, message
):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]), item_data(**changes)
    )
    assert response.context["form"].errors["due_on"] == [message]
    assert not RoadmapItem.objects.exists()


def test_an_item_refuses_a_module_of_another_program(world, as_user, roadmap):
    foreign = f.ModuleFactory()
    response = as_user(world.coordinator).post(
        reverse("roadmaps:setup_roadmap", args=[roadmap.pk]), item_data(module=foreign.pk)
    )
    assert "module" in response.context["form"].errors
    assert not RoadmapItem.objects.exists()


def test_the_deadline_preview_shows_the_derived_dates(world, as_user):
    url = reverse("roadmaps:schedule_preview")
    response = as_user(world.coordinator).get(
        url,
        {"program": world.program.pk, "item-schedule_text": "31.05.2023"},
        HTTP_HX_REQUEST="true",
    )
    assert "31.05.2023" in response.content.decode()
    unknown = as_user(world.coordinator).get(
        url, {"program": world.program.pk, "schedule_text": "по графику Минпросвещения РФ"}
    )
    assert "Даты не распознаны" in unknown.content.decode()
    outsider = as_user(world.outsider).get(
        url, {"program": world.program.pk, "schedule_text": "Май"}
    )
    assert outsider.status_code == 404


def test_editing_an_item_keeps_its_hand_typed_dates_marked(world, as_user, roadmap):
    item = f.RoadmapItemFactory(
        roadmap=roadmap,
        schedule_text="по графику",
        starts_on=None,
        due_on=datetime.date(2023, 7, 1),
    )
    response = as_user(world.coordinator).get(reverse("roadmaps:item_edit", args=[item.pk]))
    assert response.context["form"].initial["manual_dates"] is True


def titles(roadmap):
    return list(roadmap.items.values_list("title", flat=True))


def test_items_move_up_and_down(world, as_user, roadmap):
    first, second, third = (f.RoadmapItemFactory(roadmap=roadmap, title=t) for t in ("А", "Б", "В"))
    client = as_user(world.coordinator)
    client.post(reverse("roadmaps:item_move", args=[third.pk]), {"direction": "up"})
    assert titles(roadmap) == ["А", "В", "Б"]
    client.post(reverse("roadmaps:item_move", args=[first.pk]), {"direction": "down"})
    assert titles(roadmap) == ["В", "А", "Б"]
    # The first item cannot go higher.
    client.post(reverse("roadmaps:item_move", args=[third.pk]), {"direction": "up"})
    assert titles(roadmap) == ["В", "А", "Б"]
    assert second.pk


def test_items_are_reordered_by_drag_and_drop(world, as_user, roadmap):
    items = [f.RoadmapItemFactory(roadmap=roadmap, title=t) for t in ("А", "Б", "В")]
    order = ",".join(str(items[i].pk) for i in (2, 0, 1))
    response = as_user(world.coordinator).post(
        reverse("roadmaps:reorder", args=[roadmap.pk]), {"items": order}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Порядок сохранён" in response.content.decode()
    assert titles(roadmap) == ["В", "А", "Б"]


def test_a_reorder_that_misses_an_item_changes_nothing(world, as_user, roadmap):
    items = [f.RoadmapItemFactory(roadmap=roadmap, title=t) for t in ("А", "Б")]
    foreign = f.RoadmapItemFactory()
    response = as_user(world.coordinator).post(
        reverse("roadmaps:reorder", args=[roadmap.pk]),
        {"items": f"{items[1].pk},{foreign.pk}"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "обновите страницу" in response.content.decode()
    assert titles(roadmap) == ["А", "Б"]


def test_an_item_is_deleted(world, as_user, roadmap):
    item = f.RoadmapItemFactory(roadmap=roadmap)
    as_user(world.coordinator).post(reverse("roadmaps:item_delete", args=[item.pk]))
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()
