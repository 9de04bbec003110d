"""Telling PostgreSQL's planner what it cannot guess.

A summary of a national program groups hundreds of thousands of rows; the planner's cost
estimate then crosses `jit_above_cost` and PostgreSQL compiles the query to machine code first —
seconds of compiling for a query that runs in half a second (the monitoring note's data step:
2.5 s with JIT, 0.58 s without). `without_jit()` turns JIT off for the queries inside it only.
"""

import contextlib

from django.db import connection, transaction


@contextlib.contextmanager
def without_jit():
    """Inside: no JIT compiling on PostgreSQL (`SET LOCAL`, undone when the transaction this
    opens ends); nothing on other databases."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield
