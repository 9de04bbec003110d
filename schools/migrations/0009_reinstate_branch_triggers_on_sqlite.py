"""SQLite drops a table's triggers when Django rebuilds the table to add a column (0006, 0007 on
`schools_organization`): the branch rules of 0003 are written again. PostgreSQL keeps its
triggers through ALTER TABLE, so nothing happens there."""

from importlib import import_module

from django.db import migrations

BRANCH_TRIGGERS = import_module("schools.migrations.0003_branch_parent_same_municipality")


def reinstate(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in BRANCH_TRIGGERS.SQLITE_FORWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("schools", "0008_merge_results_code_and_zones")]

    operations = [migrations.RunPython(reinstate, migrations.RunPython.noop)]
