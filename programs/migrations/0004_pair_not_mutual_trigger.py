"""A pair is never mutual: when A curates B in a program, B does not curate A in it. A CHECK
constraint cannot look at another row, so a trigger enforces it, one for each database the
portal runs on (as `schools/migrations/0002_branch_parent_trigger.py`)."""

from django.db import migrations

from core.triggers import per_vendor

MESSAGE = "pair_not_mutual"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER pair_not_mutual_insert
    BEFORE INSERT ON programs_curatorpair
    FOR EACH ROW
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}')
        WHERE EXISTS (
            SELECT 1 FROM programs_curatorpair p
            WHERE p.program_id = NEW.program_id
              AND p.curator_school_id = NEW.supported_school_id
              AND p.supported_school_id = NEW.curator_school_id
        );
    END;
    """,
    f"""
    CREATE TRIGGER pair_not_mutual_update
    BEFORE UPDATE OF program_id, curator_school_id, supported_school_id ON programs_curatorpair
    FOR EACH ROW
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}')
        WHERE EXISTS (
            SELECT 1 FROM programs_curatorpair p
            WHERE p.id <> NEW.id
              AND p.program_id = NEW.program_id
              AND p.curator_school_id = NEW.supported_school_id
              AND p.supported_school_id = NEW.curator_school_id
        );
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS pair_not_mutual_insert;",
    "DROP TRIGGER IF EXISTS pair_not_mutual_update;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION programs_curatorpair_check_mutual() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM programs_curatorpair p
            WHERE p.id <> NEW.id
              AND p.program_id = NEW.program_id
              AND p.curator_school_id = NEW.supported_school_id
              AND p.supported_school_id = NEW.curator_school_id
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER pair_not_mutual
    BEFORE INSERT OR UPDATE OF program_id, curator_school_id, supported_school_id
    ON programs_curatorpair
    FOR EACH ROW EXECUTE FUNCTION programs_curatorpair_check_mutual();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS pair_not_mutual ON programs_curatorpair;",
    "DROP FUNCTION IF EXISTS programs_curatorpair_check_mutual();",
]


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_pair_schools_are_participants")]

    operations = [
        migrations.RunPython(
            per_vendor(
                {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}, "mutual pair trigger"
            ),
            per_vendor(
                {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}, "mutual pair trigger"
            ),
        ),
    ]
