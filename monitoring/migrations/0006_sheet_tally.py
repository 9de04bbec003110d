"""Each school's count of sent values at each point (`SheetTally`), kept by the database.

The table is filled from the values already there, and triggers keep it in the transaction that
changes what it counts, whatever wrote it (a save, `bulk_create`, a queryset's `update`, the
import's set-based writes of `core.bulk`, `delete_values`, a cascade):

- on the values (`monitoring_measurement`), after an insert, a delete, or an update of the
  status, the school, the point or the indicator: a row that counts — a school's value
  (organization not null), sent (`Measurement.SENT`), of a sheet indicator of the point's
  program (entered, school-level: `MonitoringPoint.sheet_indicators`) — is taken off its
  school's tally at its point as it was (OLD) and added as it is (NEW); an increment is an
  upsert, a decrement a plain UPDATE;
- on the indicators, after the fields that make an indicator one of the sheet (method, level,
  program) change so that it joins or leaves a sheet: the tallies of the points of its
  program(s) are counted again;
- on the points, after a point moves to another program: its tallies are counted again.

SQLite runs each trigger per row; PostgreSQL per statement over the rows the statement changed
(transition tables), so that an import of tens of thousands of values adjusts the tallies in
one grouped statement.

**SQLite drops a table's triggers when Django rebuilds the table** (most `AlterField`,
`AddField` of a column with a default, `RemoveField`…), as schools/migrations/0009 had to
mend. A later migration that alters `monitoring_measurement`, `monitoring_indicator` or
`monitoring_monitoringpoint` on SQLite must reinstate these triggers (run `SQLITE_FORWARD`
again, as that migration does); tests/monitoring/test_sheet_tally.py fails when they are
missing after all migrations. PostgreSQL keeps its triggers through ALTER TABLE.
"""

from django.db import migrations, models

from core.triggers import per_vendor

TALLY = "monitoring_sheettally"
VALUES = "monitoring_measurement"
INDICATORS = "monitoring_indicator"
POINTS = "monitoring_monitoringpoint"

# `Measurement.SENT`, `Indicator.Method.ENTERED`, `Indicator.Level.SCHOOL` as they are now: a
# migration keeps the values it was written with.
SENT = "('submitted', 'approved')"


def is_sheet(i):
    """Whether the indicator row `i` is one of a school's sheet (`entered().of_schools()`)."""
    return f"({i}.method = 'entered' AND {i}.level = 'school')"


def counts(r):
    """Whether the value row `r` counts in its school's tally at its point."""
    return f"""(
        {r}.organization_id IS NOT NULL AND {r}.status IN {SENT} AND EXISTS (
            SELECT 1 FROM {INDICATORS} i
            JOIN {POINTS} p ON p.program_id = i.program_id
            WHERE i.id = {r}.indicator_id AND p.id = {r}.point_id AND {is_sheet("i")}
        )
    )"""


def recount(points):
    """Statements that count again the tallies of the points `points` (SQL selecting point ids)
    from the values."""
    return [
        f"DELETE FROM {TALLY} WHERE point_id IN ({points});",
        f"""
        INSERT INTO {TALLY} (point_id, organization_id, sent)
        SELECT m.point_id, m.organization_id, COUNT(*)
        FROM {VALUES} m
        JOIN {POINTS} p ON p.id = m.point_id
        JOIN {INDICATORS} i ON i.id = m.indicator_id AND i.program_id = p.program_id
        WHERE m.point_id IN ({points})
          AND m.organization_id IS NOT NULL AND m.status IN {SENT} AND {is_sheet("i")}
        GROUP BY m.point_id, m.organization_id;
        """,
    ]


# Run after the triggers are created: on PostgreSQL, CREATE TRIGGER locks the values against
# writes until the migration commits, so no value written meanwhile is missed by the fill.
FILL = recount(f"SELECT id FROM {POINTS}")


# SQLite: row triggers. An INSERT … SELECT with an upsert needs a WHERE of its own (SQLite's
# parser would read ON CONFLICT as a join's ON otherwise).
def sqlite_add(r, when="true"):
    return f"""
        INSERT INTO {TALLY} (point_id, organization_id, sent)
        SELECT {r}.point_id, {r}.organization_id, 1 WHERE {when} AND {counts(r)}
        ON CONFLICT (point_id, organization_id) DO UPDATE SET sent = sent + 1;
    """


def sqlite_take(r):
    return f"""
        UPDATE {TALLY} SET sent = sent - 1
        WHERE point_id = {r}.point_id AND organization_id = {r}.organization_id AND {counts(r)};
    """


def sqlite_may_count(r):
    return f"({r}.organization_id IS NOT NULL AND {r}.status IN {SENT})"


SQLITE_PROGRAMS = "OLD.program_id, NEW.program_id"

SQLITE_FORWARD = [
    *(
        f"DROP TRIGGER IF EXISTS {name};"
        for name in (
            "sheettally_value_insert",
            "sheettally_value_delete",
            "sheettally_value_update",
            "sheettally_indicator_update",
            "sheettally_point_update",
        )
    ),
    f"""
    CREATE TRIGGER sheettally_value_insert
    AFTER INSERT ON {VALUES}
    FOR EACH ROW WHEN {sqlite_may_count("NEW")}
    BEGIN
        {sqlite_add("NEW")}
    END;
    """,
    f"""
    CREATE TRIGGER sheettally_value_delete
    AFTER DELETE ON {VALUES}
    FOR EACH ROW WHEN {sqlite_may_count("OLD")}
    BEGIN
        {sqlite_take("OLD")}
    END;
    """,
    # A value that stays sent, of the same school, point and indicator (approved, say) leaves
    # its tally as it is.
    f"""
    CREATE TRIGGER sheettally_value_update
    AFTER UPDATE OF status, organization_id, point_id, indicator_id ON {VALUES}
    FOR EACH ROW WHEN ({sqlite_may_count("OLD")} OR {sqlite_may_count("NEW")}) AND NOT (
        OLD.status IN {SENT} AND NEW.status IN {SENT}
        AND OLD.organization_id IS NEW.organization_id
        AND OLD.point_id = NEW.point_id AND OLD.indicator_id = NEW.indicator_id
    )
    BEGIN
        {sqlite_take("OLD")}
        {sqlite_add("NEW")}
    END;
    """,
    f"""
    CREATE TRIGGER sheettally_indicator_update
    AFTER UPDATE OF method, level, program_id ON {INDICATORS}
    FOR EACH ROW WHEN {is_sheet("OLD")} <> {is_sheet("NEW")}
        OR (OLD.program_id <> NEW.program_id AND {is_sheet("OLD")})
    BEGIN
        {" ".join(recount(f"SELECT id FROM {POINTS} WHERE program_id IN ({SQLITE_PROGRAMS})"))}
    END;
    """,
    f"""
    CREATE TRIGGER sheettally_point_update
    AFTER UPDATE OF program_id ON {POINTS}
    FOR EACH ROW WHEN OLD.program_id <> NEW.program_id
    BEGIN
        {" ".join(recount("NEW.id"))}
    END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS sheettally_value_insert;",
    "DROP TRIGGER IF EXISTS sheettally_value_delete;",
    "DROP TRIGGER IF EXISTS sheettally_value_update;",
    "DROP TRIGGER IF EXISTS sheettally_indicator_update;",
    "DROP TRIGGER IF EXISTS sheettally_point_update;",
]


# PostgreSQL: statement triggers over the rows a statement inserted, deleted or updated
# (`new_rows`, `old_rows`). The change of each school's tally at each point is summed first;
# increments are upserted in the order of the key (two writers lock rows in one order),
# decrements update rows that exist.
def postgres_apply(changes):
    """The statement that applies `changes` (SQL selecting point_id, organization_id and
    d, +1 or -1 for one value) to the tallies."""
    return f"""
        WITH delta AS (
            SELECT point_id, organization_id, SUM(d) AS d FROM ({changes}) AS c
            GROUP BY point_id, organization_id HAVING SUM(d) <> 0
        ), taken AS (
            UPDATE {TALLY} t SET sent = t.sent + delta.d FROM delta
            WHERE delta.d < 0
              AND t.point_id = delta.point_id AND t.organization_id = delta.organization_id
        )
        INSERT INTO {TALLY} AS t (point_id, organization_id, sent)
        SELECT point_id, organization_id, d FROM delta WHERE d > 0
        ORDER BY point_id, organization_id
        ON CONFLICT (point_id, organization_id) DO UPDATE SET sent = t.sent + EXCLUDED.sent;
    """


def postgres_rows(table, d):
    return f"SELECT r.point_id, r.organization_id, {d} AS d FROM {table} r WHERE {counts('r')}"


def postgres_function(name, changes):
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        {postgres_apply(changes)}
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """


# An indicator joins or leaves the sheet, or moves with it to another program.
POSTGRES_INDICATORS_MOVED = f"""
    SELECT o.program_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE {is_sheet("o")} <> {is_sheet("n")} OR (o.program_id <> n.program_id AND {is_sheet("o")})
    UNION
    SELECT n.program_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE {is_sheet("o")} <> {is_sheet("n")} OR (o.program_id <> n.program_id AND {is_sheet("o")})
"""

POSTGRES_FORWARD = [
    postgres_function("sheettally_values_inserted", postgres_rows("new_rows", 1)),
    postgres_function("sheettally_values_deleted", postgres_rows("old_rows", -1)),
    postgres_function(
        "sheettally_values_updated",
        f"{postgres_rows('old_rows', -1)} UNION ALL {postgres_rows('new_rows', 1)}",
    ),
    f"""
    CREATE FUNCTION sheettally_indicators_updated() RETURNS trigger AS $$
    DECLARE
        moved bigint[];
    BEGIN
        SELECT array_agg(program_id) INTO moved FROM ({POSTGRES_INDICATORS_MOVED}) AS programs;
        IF moved IS NOT NULL THEN
            {" ".join(recount(f"SELECT id FROM {POINTS} WHERE program_id = ANY(moved)"))}
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE FUNCTION sheettally_points_updated() RETURNS trigger AS $$
    DECLARE
        moved bigint[];
    BEGIN
        SELECT array_agg(n.id) INTO moved
        FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.program_id <> n.program_id;
        IF moved IS NOT NULL THEN
            {" ".join(recount("SELECT unnest(moved)"))}
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER sheettally_values_inserted AFTER INSERT ON {VALUES}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sheettally_values_inserted();
    """,
    f"""
    CREATE TRIGGER sheettally_values_deleted AFTER DELETE ON {VALUES}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sheettally_values_deleted();
    """,
    f"""
    CREATE TRIGGER sheettally_values_updated AFTER UPDATE ON {VALUES}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sheettally_values_updated();
    """,
    f"""
    CREATE TRIGGER sheettally_indicators_updated AFTER UPDATE ON {INDICATORS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sheettally_indicators_updated();
    """,
    f"""
    CREATE TRIGGER sheettally_points_updated AFTER UPDATE ON {POINTS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sheettally_points_updated();
    """,
]
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS sheettally_values_inserted ON {VALUES};",
    f"DROP TRIGGER IF EXISTS sheettally_values_deleted ON {VALUES};",
    f"DROP TRIGGER IF EXISTS sheettally_values_updated ON {VALUES};",
    f"DROP TRIGGER IF EXISTS sheettally_indicators_updated ON {INDICATORS};",
    f"DROP TRIGGER IF EXISTS sheettally_points_updated ON {POINTS};",
    "DROP FUNCTION IF EXISTS sheettally_values_inserted();",
    "DROP FUNCTION IF EXISTS sheettally_values_deleted();",
    "DROP FUNCTION IF EXISTS sheettally_values_updated();",
    "DROP FUNCTION IF EXISTS sheettally_indicators_updated();",
    "DROP FUNCTION IF EXISTS sheettally_points_updated();",
]

# The triggers each database has once these migrations ran (checked by the tests).
TRIGGERS = {
    "sqlite": [
        "sheettally_value_insert",
        "sheettally_value_delete",
        "sheettally_value_update",
        "sheettally_indicator_update",
        "sheettally_point_update",
    ],
    "postgresql": [
        "sheettally_values_inserted",
        "sheettally_values_deleted",
        "sheettally_values_updated",
        "sheettally_indicators_updated",
        "sheettally_points_updated",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_indicator_updated_at_monitoringpoint_updated_at"),
        ("schools", "0009_reinstate_branch_triggers_on_sqlite"),
    ]

    operations = [
        migrations.CreateModel(
            name="SheetTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent", models.IntegerField(default=0, verbose_name="отправлено значений")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="schools.organization",
                        verbose_name="организация",
                    ),
                ),
                (
                    "point",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="sheet_tallies",
                        to="monitoring.monitoringpoint",
                        verbose_name="точка мониторинга",
                    ),
                ),
            ],
            options={
                "verbose_name": "итог листа ввода",
                "verbose_name_plural": "итоги листов ввода",
                "indexes": [
                    models.Index(
                        fields=["point", "sent", "organization"], name="sheettally_point_sent"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("point", "organization"), name="sheettally_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("sent__gte", 0)), name="sheettally_sent_not_negative"
                    ),
                ],
            },
        ),
        migrations.RunPython(
            per_vendor(
                {"sqlite": SQLITE_FORWARD + FILL, "postgresql": POSTGRES_FORWARD + FILL},
                "sheet tally triggers",
            ),
            per_vendor(
                {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD},
                "sheet tally triggers",
            ),
        ),
    ]
