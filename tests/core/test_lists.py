"""Every list page of the portal is one shape, `core.lists.ListPage`: no page builds its filter,
table, pages and Excel branch by hand, and each page's Excel file has the columns of the table
on the page."""

import inspect
import io
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from core.exports import XLSX_CONTENT_TYPE
from core.lists import ListPage
from tests import factories as f

pytestmark = pytest.mark.django_db


def routes(patterns=None, namespace=""):
    """(name, callback) of every route of the portal."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern.callback


def is_list_page(callback):
    view_class = getattr(callback, "view_class", None)
    return view_class is not None and issubclass(view_class, ListPage)


# Each list page, the person who sees it and its address in `world` with some rows.
LIST_PAGES = {
    "programs:list": ("coordinator", lambda w: reverse("programs:list")),
    "school_list": ("coordinator", lambda w: reverse("school_list")),
    "accounts:audit": ("coordinator", lambda w: reverse("accounts:audit")),
    "roadmaps:items": ("coordinator", lambda w: reverse("roadmaps:items", args=[w.program.pk])),
    "roadmaps:events": ("coordinator", lambda w: reverse("roadmaps:events", args=[w.program.pk])),
    "dashboards:completeness": (
        "coordinator",
        lambda w: reverse("dashboards:completeness", args=[w.point.pk]),
    ),
    "dashboards:indicator_dashboard": (
        "coordinator",
        lambda w: reverse("dashboards:indicator_dashboard", args=[w.indicator.pk]),
    ),
}

# Pages that give a table as Excel without being a list page, each with its reason.
SEVERAL_TABLES = {
    "dashboards:dashboard": "five summary tables, ?table= names the one to export",
    "dashboards:effectiveness": "the counted and the not counted rows, ?table= names one",
}


def test_every_list_page_is_a_list_page_class_and_is_known_here():
    listed = {name for name, callback in routes() if is_list_page(callback)}
    assert listed == set(LIST_PAGES)


def test_no_page_builds_a_table_with_its_excel_file_by_hand():
    """A view outside `ListPage` that answers `?_export=` by itself, or mixes django-filter's
    and django-tables2's views, is a list built by hand."""
    by_hand = set()
    for name, callback in routes():
        if is_list_page(callback) or name in SEVERAL_TABLES:
            continue
        view = getattr(callback, "view_class", callback)
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            continue
        if any(
            word in source
            for word in ("wants_xlsx", "xlsx_response", "SingleTableMixin", "FilterView")
        ):
            by_hand.add(name)
    assert by_hand == set()
    for name in SEVERAL_TABLES:
        assert name in dict(routes())


@pytest.fixture
def listed(world):
    """`world` with a row or more on every list."""
    roadmap = f.RoadmapFactory(program=world.program)
    f.RoadmapItemFactory(roadmap=roadmap)
    f.EventFactory(program=world.program, organizer=world.authority)
    world.indicator = f.IndicatorFactory(program=world.program)
    world.point = f.MonitoringPointFactory(program=world.program)
    f.MeasurementFactory(
        indicator=world.indicator, point=world.point, organization=world.supported_school
    )
    return world


class _Headers(HTMLParser):
    """The texts of the header cells of the first table head of a page."""

    def __init__(self):
        super().__init__()
        self.headers, self._depth, self._cell, self._done = [], 0, None, False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "thead":
            self._depth += 1
        elif tag == "th" and self._depth:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "th" and self._cell is not None:
            self.headers.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "thead" and self._depth:
            self._depth -= 1
            self._done = True

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_headers(html):
    parser = _Headers()
    parser.feed(html)
    return parser.headers


@pytest.mark.parametrize("name", LIST_PAGES)
def test_each_list_pages_excel_file_has_the_columns_of_its_table(listed, as_user, name):
    person, address = LIST_PAGES[name]
    client = as_user(listed.people[person])
    page = client.get(address(listed))
    assert page.status_code == 200
    table = page.context["table"]
    left_out = {
        " ".join(str(column.header).split())
        for column in table.columns
        if column.column.exclude_from_export
    }
    shown = [header for header in page_headers(page.content.decode()) if header not in left_out]
    assert shown, "the page shows its table's head"

    export = client.get(address(listed), {"_export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(export.content)).active
    exported = [" ".join(str(cell.value or "").split()) for cell in sheet[1]]
    assert exported == shown
    # Every row of the page's table is in the file, under the head.
    assert sheet.max_row - 1 == table.paginator.count


def test_pages_are_cut_by_page_size_in_one_place():
    """`PAGE_SIZE` is read in `core.pagination` only: no module of an app makes its own
    paginator, its own RequestConfig or its own page size."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    typed = []
    for path in sorted(root.glob("*/**/*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] in {"tests", "bench", ".venv", "node_modules"}:
            continue
        if "migrations" in relative.parts or relative == Path("core/pagination.py"):
            continue
        source = path.read_text()
        if any(word in source for word in ("Paginator(", "RequestConfig(", "paginate_by =")):
            typed.append(str(relative))
    assert typed == []


def test_a_lists_excel_file_is_filtered_and_sorted_as_the_page(world, as_user):
    roadmap = f.RoadmapFactory(program=world.program)
    for title in ("Аудит школ", "Семинар для школ", "Ярмарка практик"):
        f.RoadmapItemFactory(roadmap=roadmap, title=title)
    address = reverse("roadmaps:items", args=[world.program.pk])
    export = as_user(world.coordinator).get(
        address, {"_export": "xlsx", "sort": "-title", "q": "школ"}
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Семинар для школ", "Аудит школ"]
