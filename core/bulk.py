"""Writing thousands of rows in a handful of statements, with their history.

Django's `bulk_create` and `bulk_update` prepare every field of every row in Python, and
`bulk_update` sends a CASE per column and row that PostgreSQL plans for minutes at tens of
thousands of rows; simple-history's bulk history builds a model instance per row besides. An
import of 45,000 values spent most of its time there. Here the rows go to the database as one
derived table (`rows_table`): on PostgreSQL an `unnest` of one array per column, on SQLite a
`json_each` of one JSON list — a fixed number of parameters however many rows there are, so the
number of statements of a write does not grow with the file. The database then inserts, updates
and copies the history rows from the table itself (`insert_rows`, `update_rows`,
`copy_to_history`).

Only the project's code builds these statements: column names come from the models, values go
as parameters.
"""

import datetime
import decimal
import json

from django.db import connection


def _quote(name):
    return connection.ops.quote_name(name)


def rows_table(columns, rows, alias="v"):
    """`(sql, params)` of a derived table named `alias` whose columns are `columns` — pairs of a
    name and the model field its values are for (the field gives the type) — and whose rows are
    `rows`, tuples of values ready for the database (ids for foreign keys)."""
    names = [name for name, _ in columns]
    if connection.vendor == "postgresql":
        arrays = [list(values) for values in zip(*rows, strict=True)] if rows else []
        arrays = [_array(values) for values in arrays] or [[] for _ in columns]
        casts = ", ".join(f"%s::{field.db_type(connection)}[]" for _, field in columns)
        quoted = ", ".join(_quote(name) for name in names)
        return f"unnest({casts}) AS {alias} ({quoted})", arrays
    if connection.vendor == "sqlite":
        picks = ", ".join(
            f"json_extract({alias}_row.value, '$[{index}]') AS {_quote(name)}"
            for index, name in enumerate(names)
        )
        # Decimals travel as text, which the column's numeric affinity stores as a number, as
        # Django's own adapter does.
        content = json.dumps([list(row) for row in rows], default=str)
        return f"(SELECT {picks} FROM json_each(%s) AS {alias}_row) AS {alias}", [content]
    raise NotImplementedError(f"rows_table() knows PostgreSQL and SQLite, not {connection.vendor}")


# Values written into an array's text as they print; anything else goes as a list.
_PRINTABLE = (str, int, float, decimal.Decimal, datetime.date, datetime.time)


def _array(values):
    """A column's values for PostgreSQL: one array literal (`{"a","b",NULL}`), read by the
    server as a single value. A list would reach it as `ARRAY[…]` of as many constants, each
    parsed and planned: at the 90,000 notices of a round that was a second of the server's
    time, and as much of the driver's."""
    if not all(value is None or isinstance(value, _PRINTABLE) for value in values):
        return values
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            items.append(f'"{text}"')
    return "{" + ",".join(items) + "}"


def _column(model, name):
    return model._meta.get_field(name).column


def _prepared(model, name, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def insert_rows(model, columns, rows, constants, now=None, *, skip_conflicts=False):
    """Insert `rows` (values of the fields named in `columns`, in that order) into `model`'s
    table, every other field taking its value from `constants` (field name → value), else
    `now` for `auto_now`/`auto_now_add`, else its default as Django's own insert would. The
    primary key is the database's: returns the keys of the rows inserted.

    `skip_conflicts`: a row that a unique constraint already holds (or another writer inserts
    meanwhile) is left out, not an error — `bulk_create(ignore_conflicts=True)` as one
    statement; the keys returned are those of the rows actually inserted."""
    if not rows:
        return []
    meta = model._meta
    targets, selected, params = [], [], []
    given = set(columns)
    for field in meta.concrete_fields:
        if field.primary_key and field.name not in given:
            continue
        targets.append(_quote(field.column))
        if field.name in given:
            selected.append(f"v.{_quote(field.name)}")
            continue
        if field.name in constants:
            value = constants[field.name]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.unique:
            # One default for every row would break the constraint (a uuid4, say).
            raise ValueError(f"insert_rows(): no value for {meta.label}.{field.name}")
        else:
            # What Django would write: the default, "" for text, None (refused by the database
            # where the field is required).
            value = field.get_default()
        selected.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    source, source_params = rows_table([(n, meta.get_field(n)) for n in columns], rows)
    # SQLite reads `ON` after a bare `FROM` as the start of a join: a WHERE tells it apart.
    conflicts = " WHERE true ON CONFLICT DO NOTHING" if skip_conflicts else ""
    sql = (
        f"INSERT INTO {_quote(meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(selected)} FROM {source}{conflicts} "
        f"RETURNING {_quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + source_params)
        return [pk for (pk,) in cursor.fetchall()]


def update_rows(
    model, key, columns, rows, constants=None, *, read=(), extra_set="", extra_where=""
):
    """Set, on the rows of `model` whose field `key` matches the first value of each row, the
    fields named in `columns` (the next values of each row, in that order) and the fields of
    `constants` (field name → value). The last values of each row are the fields named in
    `read`, not written: `extra_set` and `extra_where`, SQL of the caller's own over the table
    `m` and the rows `v`, may use them (a revision that grows, a condition on the old state).
    Returns how many rows the database changed."""
    if not rows:
        return 0
    meta = model._meta
    constants = constants or {}
    assignments = [f"{_quote(_column(model, name))} = v.{_quote(name)}" for name in columns]
    params = []
    for name, value in constants.items():
        assignments.append(f"{_quote(_column(model, name))} = %s")
        params.append(_prepared(model, name, value))
    if extra_set:
        assignments.append(extra_set)
    source, source_params = rows_table(
        [(name, meta.get_field(name)) for name in (key, *columns, *read)], rows
    )
    where = f"m.{_quote(_column(model, key))} = v.{_quote(key)}"
    if extra_where:
        where += f" AND ({extra_where})"
    sql = (
        f"UPDATE {_quote(meta.db_table)} AS m SET {', '.join(assignments)} "
        f"FROM {source} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + source_params)
        return cursor.rowcount


HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}


def copy_to_history(model, join, join_params, *, history_type, user, date, reason=None):
    """One history row (django-simple-history) per row of `model` that `join` selects — SQL
    that follows `FROM <table> AS m`, e.g. a JOIN to a `rows_table` — copied from the row as it
    now is, with who (`user`), when (`date`), why (`reason`) and how (`history_type`: «+»
    created, «~» changed), as simple-history would record a save of each. Returns how many."""
    history = model.history.model
    targets, selected = [], []
    for field in history._meta.concrete_fields:
        if field.name in HISTORY_FIELDS or field.name == "history_user":
            continue
        targets.append(_quote(field.column))
        selected.append(f"m.{_quote(_column(model, field.name))}")
    stamps = {
        "history_date": _prepared(history, "history_date", date),
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user": user.pk if user is not None else None,
    }
    for name in stamps:
        targets.append(_quote(history._meta.get_field(name).column))
        selected.append("%s")
    sql = (
        f"INSERT INTO {_quote(history._meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(selected)} FROM {_quote(model._meta.db_table)} AS m {join}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(stamps.values()) + list(join_params))
        return cursor.rowcount


def delete_rows(queryset, *, user, date, reason=None):
    """Delete the rows `queryset` selects in two statements whatever their number: their history
    (django-simple-history, «-» deleted, who, when and why) copied as a set from the rows as they
    are, then one DELETE. Signals are not sent: the caller writes what receivers would have (the
    change marks of the figures, `core.changes.data_changed`), and only models whose rows
    nothing references by a cascading key come here. Returns how many rows were deleted."""
    model = queryset.model
    selected, params = queryset.order_by().values("pk").query.sql_with_params()
    if hasattr(model, "history"):
        copy_to_history(
            model,
            f"WHERE m.{_quote(model._meta.pk.column)} IN ({selected})",
            params,
            history_type="-",
            user=user,
            date=date,
            reason=reason,
        )
    return queryset.order_by()._raw_delete(queryset.db)
