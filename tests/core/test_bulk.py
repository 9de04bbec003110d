"""`core.bulk.rows_table` hands the database exactly the values it was given — numbers, nulls
and text with any characters (on PostgreSQL as the text of an array), other types as they are."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.bulk import rows_table
from monitoring.models import Measurement

pytestmark = pytest.mark.django_db

TEXTS = [
    "обычный",
    "",
    " с пробелами ",
    "NULL",
    "null",
    '"в кавычках"',
    "апостроф'",
    'обратная \\ черта и \\"',
    "{скобки}",
    "запятая, и ещё",
    "перевод\nстроки\tи табуляция",
    "ё 😀",
]


def read_back(columns, rows):
    source, params = rows_table(columns, rows)
    names = ", ".join(f"v.{connection.ops.quote_name(name)}" for name, _ in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {source}", params)
        return cursor.fetchall()


def field(name):
    return Measurement._meta.get_field(name)


def test_numbers_nulls_and_any_text_reach_the_database_as_given():
    rows = [
        (n, Decimal("12.50") if n % 3 else None, text, None if n % 4 == 0 else n * 1000)
        for n, text in enumerate(TEXTS, start=1)
    ]
    columns = [
        ("id", Measurement._meta.pk),
        ("value", field("value")),
        ("comment", field("comment")),
        ("revision", field("revision")),
    ]
    got = read_back(columns, rows)
    assert [
        (int(pk), None if value is None else Decimal(str(value)), text, revision)
        for pk, value, text, revision in got
    ] == rows


def test_a_column_of_any_other_type_goes_as_it_is():
    moment = timezone.now().replace(microsecond=0)
    rows = [(1, moment), (2, None), (3, moment - datetime.timedelta(days=400))]
    got = read_back([("id", Measurement._meta.pk), ("submitted_at", field("submitted_at"))], rows)
    if connection.vendor == "postgresql":
        assert got == rows
    else:
        assert [pk for pk, _ in got] == [1, 2, 3] and got[1][1] is None


def test_no_rows_make_an_empty_table():
    assert read_back([("id", Measurement._meta.pk), ("comment", field("comment"))], []) == []
