import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # The history of values: read by value, by school and by time; its other keys' indexes
    # and its user's database check only slowed every write of it (models/measurements.py).

    dependencies = [
        ("monitoring", "0006_sheet_tally"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmeasurement",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="утвердил",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeasurement",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="внёс",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeasurement",
            name="history_user",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeasurement",
            name="indicator",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="monitoring.indicator",
                verbose_name="показатель",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeasurement",
            name="point",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="monitoring.monitoringpoint",
                verbose_name="точка мониторинга",
            ),
        ),
    ]
