"""Each responsible organization's execution of an item is its own row (ItemExecution), with
the item's state and day of completion to start from; the change history of the responsible
organizations is kept."""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


def copy_responsible(apps, schema_editor):
    """Every (item, organization) row becomes an execution in the item's state; the historical
    rows of the responsible organizations follow, in the state of the item's record."""
    RoadmapItem = apps.get_model("roadmaps", "RoadmapItem")
    ItemExecution = apps.get_model("roadmaps", "ItemExecution")
    Old = RoadmapItem.responsible.through
    ItemExecution.objects.bulk_create(
        (
            ItemExecution(
                item_id=row.roadmapitem_id,
                organization_id=row.organization_id,
                status=row.roadmapitem.status,
                completed_on=row.roadmapitem.completed_on,
            )
            for row in Old.objects.select_related("roadmapitem").iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )
    OldHistory = apps.get_model("roadmaps", "HistoricalRoadmapItem_responsible")
    NewHistory = apps.get_model("roadmaps", "HistoricalItemExecution")
    NewHistory.objects.bulk_create(
        (
            NewHistory(
                id=row.id,
                history_id=row.history_id,
                item_id=row.roadmapitem_id,
                organization_id=row.organization_id,
                status=row.history.status,
                completed_on=row.history.completed_on,
            )
            for row in OldHistory.objects.select_related("history").iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("roadmaps", "0001_initial"),
        ("schools", "0002_branch_parent_trigger"),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalItemExecution",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "запланировано"),
                            ("in_progress", "выполняется"),
                            ("done", "выполнено"),
                            ("not_done", "не выполнено"),
                            ("cancelled", "отменено"),
                        ],
                        default="planned",
                        max_length=16,
                        verbose_name="состояние",
                    ),
                ),
                ("completed_on", models.DateField(blank=True, null=True, verbose_name="выполнено")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="roadmaps.historicalroadmapitem",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="roadmaps.roadmapitem",
                        verbose_name="мероприятие",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="schools.organization",
                        verbose_name="организация",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalItemExecution",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ItemExecution",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "запланировано"),
                            ("in_progress", "выполняется"),
                            ("done", "выполнено"),
                            ("not_done", "не выполнено"),
                            ("cancelled", "отменено"),
                        ],
                        default="planned",
                        max_length=16,
                        verbose_name="состояние",
                    ),
                ),
                ("completed_on", models.DateField(blank=True, null=True, verbose_name="выполнено")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="executions",
                        to="roadmaps.roadmapitem",
                        verbose_name="мероприятие",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="executions",
                        to="schools.organization",
                        verbose_name="организация",
                    ),
                ),
            ],
            options={
                "verbose_name": "исполнение мероприятия",
                "verbose_name_plural": "исполнение мероприятий",
                "ordering": ["item", "organization__short_name"],
            },
        ),
        migrations.RunPython(copy_responsible, migrations.RunPython.noop),
        migrations.RemoveField(model_name="roadmapitem", name="responsible"),
        migrations.AddField(
            model_name="roadmapitem",
            name="responsible",
            field=models.ManyToManyField(
                blank=True,
                related_name="responsible_items",
                through="roadmaps.ItemExecution",
                to="schools.organization",
                verbose_name="ответственные организации",
            ),
        ),
        migrations.DeleteModel(
            name="HistoricalRoadmapItem_responsible",
        ),
        migrations.AddConstraint(
            model_name="itemexecution",
            constraint=models.UniqueConstraint(
                fields=("item", "organization"),
                name="execution_unique",
                violation_error_message="Эта организация уже указана ответственной.",
            ),
        ),
        migrations.AddConstraint(
            model_name="itemexecution",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("completed_on__isnull", True), ("status", "done"), _connector="OR"
                ),
                name="execution_completed_only_when_done",
                violation_error_message="Дата выполнения указывается только у выполненного.",
            ),
        ),
    ]
