"""A branch hangs under a school of its own municipality (and region): a branch under a school of
another municipality would be seen and changed by that school's staff across the border of two
territories. Extends the trigger of migration 0002, on both databases: a branch's parent must
share its region and municipality, and a school with branches cannot move away from them."""

from django.db import migrations

MESSAGE = "organization_branch_parent_is_school"
TERRITORY_MESSAGE = "organization_branch_parent_same_municipality"

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS organization_branch_parent_insert;",
    "DROP TRIGGER IF EXISTS organization_branch_parent_update;",
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
        SELECT RAISE(ABORT, '{TERRITORY_MESSAGE}')
        WHERE NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.region_id = NEW.region_id
            AND p.municipality_id IS NEW.municipality_id
        );
    END;
    """,
    f"""
    CREATE TRIGGER organization_branch_parent_update
    BEFORE UPDATE OF parent_id, kind, region_id, municipality_id ON schools_organization
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
        SELECT RAISE(ABORT, '{TERRITORY_MESSAGE}')
        WHERE NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.region_id = NEW.region_id
            AND p.municipality_id IS NEW.municipality_id
        );
        SELECT RAISE(ABORT, '{TERRITORY_MESSAGE}')
        WHERE EXISTS (
            SELECT 1 FROM schools_organization b
            WHERE b.parent_id = NEW.id AND (
                b.region_id <> NEW.region_id OR b.municipality_id IS NOT NEW.municipality_id
            )
        );
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS organization_branch_parent_insert;",
    "DROP TRIGGER IF EXISTS organization_branch_parent_update;",
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

POSTGRES_FUNCTION = """
    CREATE OR REPLACE FUNCTION schools_organization_check_branch() RETURNS trigger AS $$
    BEGIN
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.kind = 'school' AND p.parent_id IS NULL
        ) THEN
            RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.kind <> 'school' OR NEW.parent_id IS NOT NULL) AND EXISTS (
            SELECT 1 FROM schools_organization b WHERE b.parent_id = NEW.id
        ) THEN
            RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
        END IF;
        {territory}
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
"""
POSTGRES_TERRITORY = f"""
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM schools_organization p
            WHERE p.id = NEW.parent_id AND p.region_id = NEW.region_id
            AND p.municipality_id IS NOT DISTINCT FROM NEW.municipality_id
        ) THEN
            RAISE EXCEPTION '{TERRITORY_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND EXISTS (
            SELECT 1 FROM schools_organization b
            WHERE b.parent_id = NEW.id AND (
                b.region_id <> NEW.region_id
                OR b.municipality_id IS DISTINCT FROM NEW.municipality_id
            )
        ) THEN
            RAISE EXCEPTION '{TERRITORY_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
"""
POSTGRES_FORWARD = [
    POSTGRES_FUNCTION.format(message=MESSAGE, territory=POSTGRES_TERRITORY),
    "DROP TRIGGER IF EXISTS organization_branch_parent ON schools_organization;",
    """
    CREATE TRIGGER organization_branch_parent
    BEFORE INSERT OR UPDATE OF parent_id, kind, region_id, municipality_id
    ON schools_organization
    FOR EACH ROW EXECUTE FUNCTION schools_organization_check_branch();
    """,
]
POSTGRES_BACKWARD = [
    POSTGRES_FUNCTION.format(message=MESSAGE, territory=""),
    "DROP TRIGGER IF EXISTS organization_branch_parent ON schools_organization;",
    """
    CREATE TRIGGER organization_branch_parent
    BEFORE INSERT OR UPDATE OF parent_id, kind ON schools_organization
    FOR EACH ROW EXECUTE FUNCTION schools_organization_check_branch();
    """,
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"No branch trigger for {schema_editor.connection.vendor}; add one here."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("schools", "0002_branch_parent_trigger")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
