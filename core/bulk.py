"""Writing thousands of rows in a handful of statements, with their history.

Django's `bulk_create` and `bulk_update` prepare every field of every row in Python, and
`bulk_update` sends a CASE per column and row that PostgreSQL plans for minutes at tens of
thousands of rows; simple-history's bulk history builds a model instance per row besides. An
import of 45,000 values spent most of its time there. Here the rows go to the database as one
derived table (`rows_table`): on PostgreSQL an `unnest` of one array per column, each array
sent as its text (one string), on SQLite a `json_each` of one JSON list — a fixed number of
parameters however many rows there are, so the number of statements of a write does not grow
with the file. The database then inserts, updates and copies the history rows from the table
itself (`insert_rows`, `update_rows`, `copy_to_history`); on PostgreSQL a write with `history`
copies the rows it returns in the same statement.

Only the project's code builds these statements: column names come from the models, values go
as parameters.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection


def _quote(name):
    return connection.ops.quote_name(name)


def rows_table(columns, rows, alias="v"):
    """`(sql, params)` of a derived table named `alias` whose columns are `columns` — pairs of a
    name and the model field its values are for (the field gives the type) — and whose rows are
    `rows`, tuples of values ready for the database (ids for foreign keys)."""
    names = [name for name, _ in columns]
    if connection.vendor == "postgresql":
        arrays = [_array(values) for values in zip(*rows, strict=True)] if rows else []
        arrays = arrays or [[] for _ in columns]
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


def _array(values):
    """One column of a `rows_table` for PostgreSQL. Numbers and text go as the array's text
    form, one string: the driver would write a list as ARRAY[…] of one literal per value, which
    took half a second more to quote and parse for 45,000 rows of three columns. Values of any
    other type (dates, booleans) go as the list, adapted by the driver."""
    kinds = {value.__class__ for value in values}
    if kinds <= _NUMBERS:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds <= _NUMBERS | _TEXT:
        return "{" + ",".join(map(_element, values)) + "}"
    return list(values)


_NUMBERS = frozenset({int, Decimal})
_TEXT = frozenset({str, type(None)})


def _element(value):
    if value is None:
        return "NULL"
    if value.__class__ is str:
        # Quoted, so that «NULL», commas, braces and spaces stay text.
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _column(model, name):
    return model._meta.get_field(name).column


def _prepared(model, name, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def insert_rows(model, columns, rows, constants, now=None, *, history=None, skip_conflicts=False):
    """Insert `rows` (values of the fields named in `columns`, in that order) into `model`'s
    table, every other field taking its value from `constants` (field name → value), else
    `now` for `auto_now`/`auto_now_add`, else its default as Django's own insert would. The
    primary key is the database's: returns the keys of the rows inserted. With `history` (a
    `History`), each row inserted gets its history row too (`copy_to_history`).

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
        f"SELECT {', '.join(selected)} FROM {source}{conflicts}"
    )
    return _written(model, sql, params + source_params, history)


def update_rows(
    model,
    key,
    columns,
    rows,
    constants=None,
    *,
    read=(),
    extra_set="",
    extra_where="",
    history=None,
):
    """Set, on the rows of `model` whose field `key` matches the first value of each row, the
    fields named in `columns` (the next values of each row, in that order) and the fields of
    `constants` (field name → value). The last values of each row are the fields named in
    `read`, not written: `extra_set` and `extra_where`, SQL of the caller's own over the table
    `m` and the rows `v`, may use them (a revision that grows, a condition on the old state).
    Returns how many rows the database changed. With `history` (a `History`), each row changed
    gets its history row too, copied from the row as written (`copy_to_history`)."""
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
    if history is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params + source_params)
            return cursor.rowcount
    return len(_written(model, sql, params + source_params, history, alias="m"))


@dataclass(frozen=True)
class History:
    """The history rows a bulk write records (django-simple-history): how (`type`: «+»
    created, «~» changed), who (`user`), when (`date`) and why (`reason`)."""

    type: str
    user: object
    date: object
    reason: str | None = None


def _written(model, sql, params, history, alias=""):
    """Run `sql` — an INSERT, or an UPDATE of `model`'s table named `alias` — and return the
    keys of the rows it wrote; with `history`, copy those rows to the history as written. On
    PostgreSQL the history is copied by the same statement, from the rows the write returns;
    elsewhere by a second statement joined by the keys."""
    pk = _quote(model._meta.pk.column)
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL's UPDATE … FROM returns the columns of its FROM too, unless named by the
    # table's alias; SQLite's RETURNING names only the table written, and never by its alias.
    prefix = f"{alias}." if alias and postgresql else ""
    if history is not None and postgresql:
        copy, stamps = _history_sql(model, "written AS m", history)
        sql = (
            f"WITH written AS ({sql} RETURNING {prefix}*), copied AS ({copy}) "
            f"SELECT {pk} FROM written"
        )
        params = [*params, *stamps]
    else:
        sql = f"{sql} RETURNING {prefix}{pk}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [key for (key,) in cursor.fetchall()]
    if history is not None and not postgresql and keys:
        # Joined by the primary key, which every database looks up by its index (SQLite would
        # scan the file's rows once per row of the table on any other column).
        source, source_params = rows_table([("id", model._meta.pk)], [(key,) for key in keys])
        copy_to_history(
            model,
            f"JOIN {source} ON m.{pk} = v.id",
            source_params,
            history_type=history.type,
            user=history.user,
            date=history.date,
            reason=history.reason,
        )
    return keys


HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type"}


def copy_to_history(model, join, join_params, *, history_type, user, date, reason=None):
    """One history row (django-simple-history) per row of `model` that `join` selects — SQL
    that follows `FROM <table> AS m`, e.g. a JOIN to a `rows_table` — copied from the row as it
    now is, with who (`user`), when (`date`), why (`reason`) and how (`history_type`: «+»
    created, «~» changed), as simple-history would record a save of each. Returns how many."""
    sql, stamps = _history_sql(
        model,
        f"{_quote(model._meta.db_table)} AS m {join}",
        History(history_type, user, date, reason),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, stamps + list(join_params))
        return cursor.rowcount


def _history_sql(model, source, history):
    """The INSERT of a history row per row of `source` (SQL after FROM, naming the rows `m`)
    and the parameters of its stamps, which come first."""
    record = model.history.model
    targets, selected = [], []
    for field in record._meta.concrete_fields:
        if field.name in HISTORY_FIELDS or field.name == "history_user":
            continue
        targets.append(_quote(field.column))
        selected.append(f"m.{_quote(_column(model, field.name))}")
    stamps = {
        "history_date": _prepared(record, "history_date", history.date),
        "history_change_reason": history.reason,
        "history_type": history.type,
        "history_user": history.user.pk if history.user is not None else None,
    }
    for name in stamps:
        targets.append(_quote(record._meta.get_field(name).column))
        selected.append("%s")
    sql = (
        f"INSERT INTO {_quote(record._meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(selected)} FROM {source}"
    )
    return sql, list(stamps.values())


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
