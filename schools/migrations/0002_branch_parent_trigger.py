"""A branch hangs under a school that is not itself a branch, and a school with branches stays a
school. A CHECK constraint cannot look at another row, so a trigger enforces it, one for each
database the portal runs on."""

from django.db import migrations

from core.triggers import per_vendor

MESSAGE = "organization_branch_parent_is_school"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER organization_branch_parent_insert
    BEFORE INSERT ON schools_organization
    FOR EACH ROW WHEN NEW.parent_id IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}')
        WHERE NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.kind = 'school' AND p.parent_id IS NULL
        );
    END;
    """,
    f"""
    CREATE TRIGGER organization_branch_parent_update
    BEFORE UPDATE OF parent_id, kind ON schools_organization
    FOR EACH ROW
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}')
        WHERE NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.kind = 'school' AND p.parent_id IS NULL
        );
        SELECT RAISE(ABORT, '{MESSAGE}')
        WHERE (NEW.kind <> 'school' OR NEW.parent_id IS NOT NULL) AND EXISTS (
            SELECT 1 FROM schools_organization b WHERE b.parent_id = NEW.id
        );
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS organization_branch_parent_insert;",
    "DROP TRIGGER IF EXISTS organization_branch_parent_update;",
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION schools_organization_check_branch() RETURNS trigger AS $$
    BEGIN
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.kind = 'school' AND p.parent_id IS NULL
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.kind <> 'school' OR NEW.parent_id IS NOT NULL) AND EXISTS (
            SELECT 1 FROM schools_organization b WHERE b.parent_id = NEW.id
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER organization_branch_parent
    BEFORE INSERT OR UPDATE OF parent_id, kind ON schools_organization
    FOR EACH ROW EXECUTE FUNCTION schools_organization_check_branch();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS organization_branch_parent ON schools_organization;",
    "DROP FUNCTION IF EXISTS schools_organization_check_branch();",
]


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [
        migrations.RunPython(
            per_vendor(
                {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}, "branch trigger"
            ),
            per_vendor(
                {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}, "branch trigger"
            ),
        ),
    ]
