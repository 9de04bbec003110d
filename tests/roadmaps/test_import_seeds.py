"""The plan tables of the five seed documents (as transcribed in demo/), written into real .docx
and .xlsx files, read back by the importer into the demo's own programs: every item, its module,
its deadline and dates, its responsible organizations, as the demo loader made them."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from demo import atkarsk, khunzakh, megion, perm, surgut
from programs.models import Program
from roadmaps.importer import Meaning, plan_import, read_tables
from roadmaps.models import Roadmap

from .tables import docx_file, plan_rows, xlsx_file

FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])

SEEDS = [surgut, perm, megion, khunzakh]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), FAST_HASHER, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO(), allow_production=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    """Each test runs in a savepoint inside the module's transaction."""


def seed_file(seed, kind):
    rows, merges = plan_rows(seed.ITEMS)
    if kind == "docx":
        return docx_file(rows, merges=[(0, *m) for m in merges]), "приказ.docx"
    return xlsx_file(rows, merges=[(0, *m) for m in merges]), "план.xlsx"


def demo_roadmap(seed):
    return Roadmap.objects.get(program__short_title=seed.SHORT_TITLE, title=seed.ROADMAP)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s.__name__.rsplit(".", 1)[-1])
def test_a_seed_plan_reads_as_the_demo_loaded_it(demo, seed, kind):
    content, name = seed_file(seed, kind)
    program = Program.objects.get(short_title=seed.SHORT_TITLE)
    plan = plan_import(read_tables(content, name), program=program, title="Из файла")
    assert plan.is_valid and not plan.skipped and not plan.errors
    loaded = list(demo_roadmap(seed).items.select_related("module").order_by("order"))
    assert [i.title for i in plan.items] == [i.title for i in loaded]
    assert [i.number for i in plan.items] == [i.number for i in loaded]
    assert [i.schedule_text for i in plan.items] == [
        " ".join(i.schedule_text.split()) for i in loaded
    ]
    assert [(i.schedule.starts_on, i.schedule.due_on) for i in plan.items] == [
        (i.starts_on, i.due_on) for i in loaded
    ]
    # Headings «Модуль «Есть проект»» are the program's own modules: none is created twice.
    assert not plan.new_modules
    assert [i.module.module if i.module else None for i in plan.items] == [i.module for i in loaded]
    for planned, item in zip(plan.items, loaded, strict=True):
        assert set(item.responsible.all()) <= set(planned.responsible), planned.row


def test_a_seed_plan_is_saved_on_confirm_as_the_demo_has_it(demo):
    content, name = seed_file(perm, "docx")
    program = Program.objects.get(short_title=perm.SHORT_TITLE)
    plan = plan_import(read_tables(content, name), program=program, title="План из приказа")
    summary = plan.apply()
    roadmap = summary["roadmap"]
    assert (roadmap.program, roadmap.level, roadmap.title) == (
        program,
        Roadmap.Level.PROGRAM,
        "План из приказа",
    )
    saved = list(roadmap.items.order_by("order"))
    loaded = list(demo_roadmap(perm).items.order_by("order"))
    fields = ("number", "title", "starts_on", "due_on", "recurring", "responsible_note")
    assert [[getattr(i, f) for f in fields] for i in saved] == [
        [getattr(i, f) for f in fields] for i in loaded
    ]
    assert [set(i.responsible.all()) for i in saved][:2] == [
        set(i.responsible.all()) for i in loaded
    ][:2]


def test_the_perm_plan_names_the_municipal_bodies_it_cannot_match(demo):
    content, name = seed_file(perm, "xlsx")
    program = Program.objects.get(short_title=perm.SHORT_TITLE)
    plan = plan_import(read_tables(content, name), program=program, title="План")
    fourth = next(i for i in plan.items if i.number == "4")
    assert [o.short_name for o in fourth.responsible] == [perm.CENTER]
    assert any(
        part.startswith("Исполнительно-распорядительные органы") for part in fourth.unmatched
    )
    assert fourth.responsible_note.startswith("Исполнительно-распорядительные органы")
    assert "не найдены среди участников" in "; ".join(fourth.flags)


def test_the_atkarsk_roles_table_reads_with_the_columns_the_person_sets(demo):
    """The Аткарский district model has no plan-graph, only the participants and their
    functions: a table with the participant's cell merged down over its functions."""
    rows, merges = [["Участник", "Функции"]], []
    for title, _, functions in atkarsk.ROLES:
        first = len(rows)
        rows.extend([title, function] for function in functions)
        merges.append((0, first, 0, len(rows) - 1, 0))
    content = docx_file(rows, merges=merges)
    program = Program.objects.get(short_title=atkarsk.SHORT_TITLE)
    tables = read_tables(content, "модель.docx")
    guessed = plan_import(tables, program=program, title="Функции участников")
    # «Функции» reads as the items; «Участник» means nothing by itself.
    assert [c.meaning for c in guessed.columns] == [Meaning.SKIP, Meaning.TITLE]
    plan = plan_import(
        tables,
        program=program,
        title="Функции участников",
        meanings=[Meaning.RESPONSIBLE, Meaning.TITLE],
    )
    functions = [f for _, _, fs in atkarsk.ROLES for f in fs]
    assert [i.title for i in plan.items] == functions
    authority = program.owner
    first_role = atkarsk.ROLES[0]
    assert all(i.responsible == [authority] for i in plan.items[: len(first_role[2])]), (
        "the merged participant cell names the authority for each of its functions"
    )
    assert all(i.undated for i in plan.items)
