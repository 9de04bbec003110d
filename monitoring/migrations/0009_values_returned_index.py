from django.db import migrations, models

from core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    # Built CONCURRENTLY on PostgreSQL: the values table takes writes meanwhile.
    atomic = False

    dependencies = [
        ("monitoring", "0008_values_hot_updates"),
    ]

    operations = [
        AddIndexOnline(
            model_name="measurement",
            index=models.Index(
                condition=models.Q(("status", "returned")),
                fields=["point", "organization"],
                name="measurement_returned",
            ),
        ),
    ]
