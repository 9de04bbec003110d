"""Rows of the audit trail are written once: a trigger refuses any change of when, what, the
details, and — except erasure, which clears them — the address and browser. Deletion stays
possible for the pruning after AUDIT_DAYS; the links to people and organizations may become
empty when those rows go."""

from django.db import migrations

from core.triggers import per_vendor

MESSAGE = "auditevent_append_only"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER auditevent_append_only
    BEFORE UPDATE OF at, action, details, ip_address, user_agent ON accounts_auditevent
    FOR EACH ROW
    WHEN NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action OR NEW.details IS NOT OLD.details
        OR (NEW.ip_address IS NOT NULL AND NEW.ip_address IS NOT OLD.ip_address)
        OR (NEW.user_agent <> '' AND NEW.user_agent IS NOT OLD.user_agent)
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END;
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS auditevent_append_only;"]

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF NEW.at IS DISTINCT FROM OLD.at OR NEW.action IS DISTINCT FROM OLD.action
            OR NEW.details IS DISTINCT FROM OLD.details
            OR (NEW.ip_address IS NOT NULL AND NEW.ip_address IS DISTINCT FROM OLD.ip_address)
            OR (NEW.user_agent <> '' AND NEW.user_agent IS DISTINCT FROM OLD.user_agent) THEN
            RAISE EXCEPTION '{MESSAGE}';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER auditevent_append_only BEFORE UPDATE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION auditevent_append_only();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS auditevent_append_only ON accounts_auditevent;",
    "DROP FUNCTION IF EXISTS auditevent_append_only();",
]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_audit_event")]

    operations = [
        migrations.RunPython(
            per_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}, "audit trigger"),
            per_vendor(
                {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}, "audit trigger"
            ),
        ),
    ]
