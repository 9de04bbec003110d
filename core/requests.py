"""The one place that reads ids and text from a request's query or form.

A hostile or mistyped address must never become a server error: an id that is not a whole
number in the range of a database key («NaN», «1e309», «-1», «9» × 40) answers 404, as an id
that names nothing would, and a NUL byte — which PostgreSQL refuses in any text — answers 400
before any view runs (`core.middleware.RefuseNulBytesMiddleware`, through `has_nul`).
"""

from django.http import Http404

# The largest value of a BigAutoField (PostgreSQL's bigint).
MAX_ID = 2**63 - 1
NUL = "\x00"


def as_id(value):
    """`value` as a database key when it is one — a whole number within a key's range — else
    None. A number past the range would reach the database as an error of its own (SQLite's
    OverflowError for a foreign key), not as «no such row»."""
    value = str(value or "").strip()
    if value.isascii() and value.isdecimal() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def read_id(data, name, *, required=False):
    """The id `data[name]` (a QueryDict or dict) as an int; None when absent or empty (404 when
    `required`), 404 when it is not a whole number within a database key's range."""
    value = str(data.get(name) or "").strip()
    if not value:
        if required:
            raise Http404(f"Не указан параметр «{name}».")
        return None
    key = as_id(value)
    if key is None:
        raise Http404(f"Параметр «{name}» должен быть номером.")
    return key


def read_ids(data, name):
    """The ids of the list `data[name]` (ticked boxes of a form) that are whole numbers within a
    database key's range, in their order, each once; anything else in the list is left out, as
    a box naming nothing would be."""
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    ids = {}
    for value in values:
        key = as_id(value)
        if key is not None:
            ids[key] = None
    return list(ids)


def read_text(data, name, default="", *, max_length=None):
    """The text `data[name]` with its surrounding spaces removed, cut at `max_length`; NUL bytes
    never reach here (the middleware refuses them), and are dropped should one."""
    value = str(data.get(name, default) or "").replace(NUL, "").strip()
    return value[:max_length] if max_length else value


def has_nul(request):
    """Whether the path, the query (names or values) or a posted form carries a NUL byte."""
    if NUL in request.path:
        return True
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    return any(
        NUL in key or any(NUL in value for value in values)
        for source in sources
        for key, values in source.lists()
    )
