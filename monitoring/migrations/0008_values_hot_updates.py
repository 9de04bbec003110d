from django.conf import settings
from django.db import migrations, models

# Who entered and approved a value keep their database check but lose their index, and the
# values table leaves a quarter of each page free: an entry, an approval or an import then
# updates a value in place on its page (PostgreSQL's HOT update) without writing any of the
# table's indexes. See models/measurements.py.
COLUMNS = ("entered_by_id", "approved_by_id")


def drop_indexes(apps, schema_editor):
    Measurement = apps.get_model("monitoring", "Measurement")
    table = Measurement._meta.db_table
    postgres = schema_editor.connection.vendor == "postgresql"
    for column in COLUMNS:
        # Django's own name for each, read back from the database rather than assumed.
        for name in schema_editor._constraint_names(
            Measurement, [column], index=True, unique=False, primary_key=False
        ):
            # CONCURRENTLY on PostgreSQL: values keep being written meanwhile. On SQLite a
            # plain DROP INDEX: altering the field would rebuild the table and lose its triggers.
            how = "CONCURRENTLY " if postgres else ""
            schema_editor.execute(f"DROP INDEX {how}{schema_editor.quote_name(name)}")
    if postgres:
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = 75)"
        )


def create_indexes(apps, schema_editor):
    Measurement = apps.get_model("monitoring", "Measurement")
    table = Measurement._meta.db_table
    postgres = schema_editor.connection.vendor == "postgresql"
    for column in COLUMNS:
        name = schema_editor._create_index_name(table, [column])
        how = "CONCURRENTLY " if postgres else ""
        schema_editor.execute(
            f"CREATE INDEX {how}{schema_editor.quote_name(name)} "
            f"ON {schema_editor.quote_name(table)} ({schema_editor.quote_name(column)})"
        )
    if postgres:
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET (fillfactor)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("monitoring", "0007_values_write_lighter"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="measurement",
                    name="approved_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="утвердил",
                    ),
                ),
                migrations.AlterField(
                    model_name="measurement",
                    name="entered_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="внёс",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
