"""Tasks and modules pasted as a list, one per line, added at the end in one go; a refused
line refuses the list, says which line, and keeps the text."""

import pytest
from django.urls import reverse

from programs.models import Module, Task
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(world, part):
    return reverse("programs:setup_parts", args=[world.program.pk, part])


def test_tasks_are_added_one_per_line_with_their_numbers(world, as_user):
    Task.objects.create(program=world.program, number="1", text="Первая задача", order=1)
    response = as_user(world.coordinator).post(
        url(world, "tasks"),
        {
            "add-lines": "2. Создать условия для повышения качества\n\n"
            "2.1) Провести самодиагностику\nРазвить сетевое взаимодействие\n"
        },
        follow=True,
    )
    assert "Задачи: добавлено 3." in response.content.decode()
    assert list(
        Task.objects.filter(program=world.program).values_list("number", "text", "order")
    ) == [
        ("1", "Первая задача", 1),
        ("2", "Создать условия для повышения качества", 2),
        ("2.1", "Провести самодиагностику", 3),
        ("", "Развить сетевое взаимодействие", 4),
    ]


def test_modules_are_added_in_order_after_the_last(world, as_user):
    f.ModuleFactory(program=world.program, title="Есть проект", order=5)
    as_user(world.coordinator).post(
        url(world, "modules"), {"add-lines": "ПрофСреда\nСтратегия успеха"}
    )
    assert list(Module.objects.filter(program=world.program).values_list("title", "order")) == [
        ("Есть проект", 5),
        ("ПрофСреда", 6),
        ("Стратегия успеха", 7),
    ]


def test_a_repeated_or_existing_module_refuses_the_list_and_keeps_the_text(world, as_user):
    f.ModuleFactory(program=world.program, title="Есть проект")
    pasted = "ПрофСреда\nЕсть проект\nпрофсреда"
    response = as_user(world.coordinator).post(url(world, "modules"), {"add-lines": pasted})
    assert response.status_code == 200
    assert response.context["lines"].errors["lines"] == [
        "строка 2: В программе уже есть модуль с таким названием.",
        "строка 3: повторяет строку выше.",
    ]
    assert pasted in response.content.decode()
    assert Module.objects.filter(program=world.program).count() == 1


def test_an_empty_list_is_refused(world, as_user):
    response = as_user(world.coordinator).post(url(world, "tasks"), {"add-lines": " \n "})
    assert response.context["lines"].errors["lines"] == ["Вставьте хотя бы одну строку."]


def test_only_those_who_set_up_the_program_add_lines(world, as_user):
    data = {"add-lines": "Задача"}
    assert as_user(world.school).post(url(world, "tasks"), data).status_code == 403
    # The outsider does not see the program at all.
    assert as_user(world.outsider).post(url(world, "tasks"), data).status_code == 404
    assert not Task.objects.filter(program=world.program).exists()
