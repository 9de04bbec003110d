from django.db import migrations, models

from core.migration_operations import AddIndexOnline


class Migration(migrations.Migration):
    # Built CONCURRENTLY on PostgreSQL: the notifications table takes writes meanwhile.
    atomic = False

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notices", "0006_notification_values_reminder"),
    ]

    operations = [
        AddIndexOnline(
            model_name="notification",
            index=models.Index(
                fields=["content_type", "kind", "object_id"], name="notification_told"
            ),
        ),
    ]
