"""Database triggers written once per database the portal runs on (SQLite, PostgreSQL), for the
rules a CHECK constraint cannot say because they read another row. A migration passes the
statements of each database to `per_vendor`."""


def per_vendor(statements_by_vendor, what):
    """A `RunPython` function that executes the statements of the connection's database; an
    unknown database stops the migration, so that no rule is silently left out."""

    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"No {what} for {schema_editor.connection.vendor}; add one here."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return apply
