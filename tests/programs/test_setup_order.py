"""A program's tasks and modules are put in order by dragging their rows (the whole order is
posted at once) or with the ↑ ↓ buttons, by those who may set the program up; an order that
names a foreign or missing row is refused whole."""

import pytest
from django.urls import reverse

from programs.models import Module, Task
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def modules(world):
    return [f.ModuleFactory(program=world.program, title=t, order=n) for n, t in enumerate("АБВ")]


def titles(program):
    return list(Module.objects.filter(program=program).values_list("title", flat=True))


def reorder_url(world, part="modules"):
    return reverse("programs:setup_parts_reorder", args=[world.program.pk, part])


def ids(rows, positions):
    return ",".join(str(rows[i].pk) for i in positions)


def test_the_coordinator_drags_modules_into_a_new_order(world, as_user, modules):
    response = as_user(world.coordinator).post(
        reorder_url(world), {"items": ids(modules, (2, 0, 1))}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Порядок сохранён" in response.content.decode()
    assert titles(world.program) == ["В", "А", "Б"]
    # The page lists them in the new order, in the order table and in the forms alike.
    page = as_user(world.coordinator).get(
        reverse("programs:setup_parts", args=[world.program.pk, "modules"])
    )
    assert [m.title for m in page.context["ordered"]] == ["В", "А", "Б"]
    assert [form.instance.title for form in page.context["formset"].initial_forms] == [
        "В",
        "А",
        "Б",
    ]


def test_tasks_are_reordered_the_same_way(world, as_user):
    tasks = [
        Task.objects.create(program=world.program, text=t, order=n) for n, t in enumerate("АБ")
    ]
    as_user(world.region_coordinator).post(
        reorder_url(world, "tasks"), {"items": ids(tasks, (1, 0))}, HTTP_HX_REQUEST="true"
    )
    assert list(Task.objects.filter(program=world.program).values_list("text", flat=True)) == [
        "Б",
        "А",
    ]


@pytest.mark.parametrize(
    "order",
    ["foreign", "missing", "repeated", "garbage", "empty"],
)
def test_an_order_naming_foreign_or_missing_rows_is_refused_and_nothing_changes(
    world, as_user, modules, order
):
    other_program = f.ModuleFactory()  # a module of another program
    items = {
        "foreign": f"{ids(modules, (2, 1, 0))},{other_program.pk}",
        "missing": ids(modules, (2, 1)),
        "repeated": ids(modules, (2, 2, 1, 0)),
        "garbage": "2,один,3",
        "empty": "",
    }[order]
    response = as_user(world.coordinator).post(
        reorder_url(world), {"items": items}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "обновите страницу" in page.lower()
    assert titles(world.program) == ["А", "Б", "В"]
    assert Module.objects.get(pk=other_program.pk).order == other_program.order


def test_a_refused_order_without_htmx_says_why_on_the_page(world, as_user, modules):
    client = as_user(world.coordinator)
    response = client.post(reorder_url(world), {"items": ids(modules, (0,))}, follow=True)
    assert "Список изменился" in response.content.decode()
    assert titles(world.program) == ["А", "Б", "В"]


def test_modules_move_up_and_down_without_javascript(world, as_user, modules):
    client = as_user(world.coordinator)

    def move(module, direction):
        url = reverse("programs:setup_part_move", args=[world.program.pk, "modules", module.pk])
        return client.post(url, {"direction": direction})

    response = move(modules[2], "up")
    assert response.status_code == 302 and response.url.endswith(f"#part-{modules[2].pk}")
    assert titles(world.program) == ["А", "В", "Б"]
    move(modules[0], "down")
    assert titles(world.program) == ["В", "А", "Б"]
    move(modules[2], "up")  # already first
    assert titles(world.program) == ["В", "А", "Б"]
    assert move(modules[1], "sideways").status_code == 400


def test_a_module_of_another_program_cannot_be_moved_through_this_one(world, as_user, modules):
    foreign = f.ModuleFactory()
    url = reverse("programs:setup_part_move", args=[world.program.pk, "modules", foreign.pk])
    assert as_user(world.coordinator).post(url, {"direction": "up"}).status_code == 404


def test_stages_are_not_reordered_by_dragging(world, as_user):
    url = reverse("programs:setup_parts_reorder", args=[world.program.pk, "stages"])
    assert as_user(world.coordinator).post(url, {"items": ""}).status_code == 404


REFUSED = {"other_coordinator": 404, "outsider": 404, "curator": 403, "school": 403}


def test_only_those_who_set_the_program_up_may_reorder(world, as_user, modules):
    move = reverse("programs:setup_part_move", args=[world.program.pk, "modules", modules[2].pk])
    for url, data in (
        (reorder_url(world), {"items": ids(modules, (2, 1, 0))}),
        (move, {"direction": "up"}),
    ):
        answers = {
            person: as_user(world.people[person]).post(url, data).status_code for person in REFUSED
        }
        assert answers == REFUSED
        assert as_user(None).post(url, data).status_code == 302  # to the sign-in page
        assert titles(world.program) == ["А", "Б", "В"]
        assert as_user(world.coordinator).get(url).status_code == 405


def test_a_module_added_in_the_form_goes_to_the_end_and_keeps_the_dragged_order(
    world, as_user, modules
):
    client = as_user(world.coordinator)
    client.post(reorder_url(world), {"items": ids(modules, (2, 0, 1))}, HTTP_HX_REQUEST="true")
    url = reverse("programs:setup_parts", args=[world.program.pk, "modules"])
    formset = client.get(url).context["formset"]
    data = {
        "modules-TOTAL_FORMS": "4",
        "modules-INITIAL_FORMS": "3",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.initial_forms):
        data[f"modules-{index}-id"] = str(form.instance.pk)
        data[f"modules-{index}-title"] = form.instance.title
    data["modules-3-title"] = "Г"
    assert client.post(url, data).status_code == 302
    assert titles(world.program) == ["В", "А", "Б", "Г"]


def test_the_dashboard_lists_the_modules_in_their_new_order_at_once(world, as_user, modules):
    """Figures are kept until their data changes: a new order is such a change."""
    for module in modules:
        f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program), module=module)
    client = as_user(world.coordinator)
    dashboard = reverse("dashboards:dashboard", args=[world.program.pk])

    def shown():
        return [row["title"] for row in client.get(dashboard).context["roadmap"]["by_module"]]

    assert shown() == ["А", "Б", "В"]
    client.post(reorder_url(world), {"items": ids(modules, (2, 0, 1))}, HTTP_HX_REQUEST="true")
    assert shown() == ["В", "А", "Б"]
    client.post(
        reverse("programs:setup_part_move", args=[world.program.pk, "modules", modules[0].pk]),
        {"direction": "down"},
    )
    assert shown() == ["В", "Б", "А"]
