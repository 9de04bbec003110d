"""The search in the header: schools, programs, roadmap items, events and documents whose names
contain the words typed, each kind through its own access rule (`visible_to`), so a person finds
only what they may open. Each kind is one query with a limit, whatever the amount of data; the
words match regardless of case and «ё» on SQLite and PostgreSQL (core/search.py)."""

from dataclasses import dataclass

from django.shortcuts import render

from core.search import matching, words
from programs.models import Document, Program
from roadmaps.models import Event, RoadmapItem
from schools.models import Organization

# Results shown per kind; one more is fetched to know whether there are others.
PER_KIND = 10
MIN_LENGTH = 2
MAX_LENGTH = 200


@dataclass
class Found:
    """The results of one kind: the first `PER_KIND` rows and whether there are more."""

    key: str
    title: str
    rows: list
    more: bool


def _kinds(user):
    """(key, heading, queryset, fields matched) for every kind, each narrowed by its rule."""
    return [
        (
            "schools",
            "Школы",
            Organization.objects.visible_to(user)
            .filter(kind=Organization.Kind.SCHOOL)
            .select_related("municipality"),
            ["short_name", "name"],
        ),
        (
            "programs",
            "Программы",
            Program.objects.visible_to(user),
            ["short_title", "title"],
        ),
        (
            "items",
            "Мероприятия дорожных карт",
            RoadmapItem.objects.visible_to(user).select_related("roadmap__program"),
            ["title", "number"],
        ),
        (
            "events",
            "События",
            Event.objects.visible_to(user).select_related("program").order_by("-starts_at"),
            ["title"],
        ),
        (
            "documents",
            "Документы",
            Document.objects.visible_to(user).select_related("organization"),
            ["title"],
        ),
    ]


def search(user, query):
    """What `query` finds for `user`, kind by kind (kinds with nothing found are left out)."""
    found = []
    for key, title, queryset, fields in _kinds(user):
        rows = list(matching(queryset, query, fields)[: PER_KIND + 1])
        if rows:
            found.append(Found(key, title, rows[:PER_KIND], len(rows) > PER_KIND))
    return found


def search_page(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_LENGTH]
    error = None
    results = []
    if query and len(query) < MIN_LENGTH:
        error = f"Введите не меньше {MIN_LENGTH} знаков."
    elif query and not words(query):
        error = "Введите слово для поиска."
    elif query:
        results = search(request.user, query)
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "search_query": query,
            "results": results,
            "error": error,
            "per_kind": PER_KIND,
        },
    )
