"""Database expressions the ORM lacks and several rules need."""

from django.db import models


class PlusDays(models.Func):
    """`date + days` computed in the database, `days` being an integer column or value: native
    date arithmetic on PostgreSQL, SQLite's date() modifier there."""

    arity = 2
    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = models.DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )
