"""Lookups on id columns.

`__in` on integer columns with a number no column can hold: Django already answers
`pk=<20 digits>` with no rows; `pk__in=[<20 digits>]` (what a multiple-choice form field asks)
still reaches SQLite's driver, which raises OverflowError — a server error from a typed-in id.
Values out of the column's range can match no row, so they are dropped before the query is
built.

`__among` on integer columns and foreign keys to integer keys: the column is one of many ids,
sent as one parameter (see `Among`).
"""

import json

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField, Lookup
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`__in` that leaves out integers beyond the column's range."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


class Among(Lookup):
    """`user_id__among=ids`: the column is one of `ids`, integers the code itself holds (ids
    read from the database, never typed in), sent as one parameter — on PostgreSQL an array
    (`= ANY(%s)`), elsewhere a JSON list. Django's `__in` prepares each value of its list in
    Python, twice: a notification round of thousands of schools, asking about tens of
    thousands of people, spent seconds there before a query was sent. PostgreSQL plans it as it
    plans `IN` with a list (a filter, not a join that stale statistics could turn into a loop
    over the table)."""

    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            # As `__in=[]`: no rows, and no query where nothing else could match.
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            # The array as one text literal, typed as the column: a list would reach the
            # server as ARRAY[…] of thousands of constants, each parsed and planned (tens of
            # milliseconds at 9,000 ids), and another integer type is estimated otherwise.
            array = f"{self.lhs.output_field.cast_db_type(connection)}[]"
            literal = "{" + ",".join(map(str, self.rhs)) + "}"
            return f"{lhs} = ANY(%s::{array})", [*params, literal]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]


def register():
    IntegerField.register_lookup(IntegerFieldIn)
    IntegerField.register_lookup(Among)
    ForeignKey.register_lookup(Among)
