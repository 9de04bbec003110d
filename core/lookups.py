"""`__in` on integer columns with a number no column can hold.

Django already answers `pk=<20 digits>` with no rows; `pk__in=[<20 digits>]` (what a
multiple-choice form field asks) still reaches SQLite's driver, which raises OverflowError — a
server error from a typed-in id. Values out of the column's range can match no row, so they are
dropped before the query is built.
"""

from django.db.models import IntegerField
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


def register():
    IntegerField.register_lookup(IntegerFieldIn)
