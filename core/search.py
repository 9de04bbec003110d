"""Text matching that ignores letter case and «ё» in Russian, the same on SQLite and PostgreSQL.

Django's `icontains` leaves case folding to the database: PostgreSQL folds Cyrillic, SQLite's
LIKE and LOWER fold only Latin letters, so «русскинская» would not find «МБОУ «Русскинская
СОШ»» in the embedded run. `Folded` is the text folded by the database — `LOWER` with «ё» made
«е» on PostgreSQL, a Python function registered on every SQLite connection — and `matching`
filters a queryset to rows whose fields contain every word of a query, folded the same way.
"""

from django.db.backends.signals import connection_created
from django.db.models import CharField, Func, Q, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from django.dispatch import receiver

# A query longer than this names no more than its first words.
MAX_WORDS = 5
_PUNCTUATION = "«»\"'“”„.,;:!?()[]"


def fold(text):
    """Text as compared: lower case (Unicode), «ё» as «е»."""
    return str(text or "").lower().replace("ё", "е")


@receiver(connection_created)
def _register_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_fold", 1, fold, deterministic=True)


class Folded(Func):
    """An expression folded by `fold`'s rule inside the database."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="portal_fold", **extra)

    def as_sql(self, compiler, connection, function=None, **extra):
        if function is None:
            # PostgreSQL (and any other database whose LOWER folds Unicode).
            inner = Replace(
                Replace(self.source_expressions[0], Value("Ё"), Value("е")), Value("ё"), Value("е")
            )
            return Func(inner, function="LOWER", output_field=CharField()).as_sql(
                compiler, connection
            )
        return super().as_sql(compiler, connection, function=function, **extra)


def words(query):
    """The words of a query, folded and without the quotes and punctuation around them
    («"Вектор"» is «вектор»); at most `MAX_WORDS`."""
    stripped = (word.strip(_PUNCTUATION) for word in fold(query).split())
    return [word for word in stripped if word][:MAX_WORDS]


def matches(query, fields):
    """The condition that each word of `query` occurs in one of `fields` (case and «ё»
    ignored); a query of no words matches every row."""
    condition = Q()
    for word in words(query):
        condition &= _any_field(word, fields)
    return condition


def matching(queryset, query, fields):
    """Rows where each word of `query` occurs in one of `fields` (case and «ё» ignored)."""
    return queryset.filter(matches(query, fields))


def _any_field(word, fields):
    condition = Q()
    for name in fields:
        condition |= Q(Contains(Folded(name), word))
    return condition
