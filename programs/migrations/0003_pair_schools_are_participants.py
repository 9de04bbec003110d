"""Every pair's schools are participants of its program in their roles: the supported school of
a pair made outside the set-up form (the admin, the shell, an import) was missing from the
program's supported schools. From now on `CuratorPair.save` writes these rows; this migration
writes those of the pairs that exist."""

from django.db import migrations


def add_participants(apps, schema_editor):
    CuratorPair = apps.get_model("programs", "CuratorPair")
    Participant = apps.get_model("programs", "Participant")
    rows = []
    for program_id, curator_id, supported_id in CuratorPair.objects.values_list(
        "program_id", "curator_school_id", "supported_school_id"
    ).iterator():
        rows.append(Participant(program_id=program_id, organization_id=curator_id, role="curator"))
        rows.append(
            Participant(program_id=program_id, organization_id=supported_id, role="supported")
        )
    Participant.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_program_entry_window_days")]

    operations = [migrations.RunPython(add_participants, migrations.RunPython.noop)]
