"""The migration that gives each responsible organization its own execution keeps every
(item, organization) row, in the item's state, and the history of the responsible ones."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def with_roadmaps_at(name):
    """Every app at its newest migration, the roadmaps at `name`."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [(app, migration) for app, migration in leaves if app != "roadmaps"] + [
        ("roadmaps", name)
    ]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_responsible_rows_become_executions_in_the_items_state():
    old = migrate(with_roadmaps_at("0001_initial"))
    Region = old.get_model("schools", "Region")
    Organization = old.get_model("schools", "Organization")
    Program = old.get_model("programs", "Program")
    Roadmap = old.get_model("roadmaps", "Roadmap")
    RoadmapItem = old.get_model("roadmaps", "RoadmapItem")
    region = Region.objects.create(name="Пермский край", code="59")
    school = Organization.objects.create(
        kind="school", short_name="МАОУ «СОШ № 1»", name="МАОУ «СОШ № 1»", region=region
    )
    program = Program.objects.create(
        owner=school, level="regional", region=region, title="Программа", short_title="П"
    )
    roadmap = Roadmap.objects.create(program=program, level="program", title="Дорожная карта")
    done = RoadmapItem.objects.create(
        roadmap=roadmap, title="Сделано", status="done", completed_on=datetime.date(2023, 5, 1)
    )
    planned = RoadmapItem.objects.create(roadmap=roadmap, title="Запланировано")
    done.responsible.add(school)
    planned.responsible.add(school)
    try:
        new = migrate(with_roadmaps_at("0002_item_execution"))
        ItemExecution = new.get_model("roadmaps", "ItemExecution")
        rows = set(
            ItemExecution.objects.values_list(
                "item_id", "organization_id", "status", "completed_on"
            )
        )
        assert rows == {
            (done.pk, school.pk, "done", datetime.date(2023, 5, 1)),
            (planned.pk, school.pk, "planned", None),
        }
    finally:
        migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
