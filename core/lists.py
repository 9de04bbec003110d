"""One shape for every list page of the portal: a filter, a table and the table's Excel file.

A list page is a class of `ListPage` that names its `template_name`, `table_class` and (when it
has one) `filterset_class`, and gives its rows through `get_queryset()`. That hook reads them
through the model's access rule (`visible_to`) and looks up what the list belongs to — a
program, a point, an indicator — the same way, so a person who may not see it gets 404 or 403
before anything is counted. `ListPage.get` does the rest alike on every page:

- the filter (django-filter) reads the query string; a filter that does not validate shows its
  errors and no rows, as django-filter's own views do;
- the table (django-tables2) is sorted by `?sort=` and paged by `PAGE_SIZE`
  (`core.pagination`);
- `?_export=xlsx` gives the same table — its columns, filtered and sorted as on the page, every
  row rather than one page — as an Excel file (`core.exports`).

Pages that show several tables (a program's dashboard, an effectiveness figure's rows) are not
lists: they give one table at a time with `core.exports.xlsx_response`.

This module lives in `core`: every app may import it, and it imports no app.
"""

from contextlib import nullcontext

from django.shortcuts import render
from django.utils import timezone
from django.views.generic.base import ContextMixin, View

from .exports import wants_xlsx, xlsx_response
from .pagination import paginate, sort_all


class ListPage(ContextMixin, View):
    """A filtered, sorted, paged table with its Excel file (see the module's docstring)."""

    template_name = None
    table_class = None
    filterset_class = None
    # The Excel file's name, without «.xlsx».
    export_name = "Таблица"
    # A list only shows and exports: nothing is sent to it.
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        """The rows the person may see, through the model's access rule; also the place to look
        up (and refuse) what the list belongs to, as Django's generic views do."""
        raise NotImplementedError(f"{type(self).__name__} gives its rows in get_queryset().")

    def get_filterset_kwargs(self):
        """What the filter needs besides the query string and the rows: the person, a program."""
        return {}

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        return self.filterset_class(
            self.request.GET or None,
            queryset=queryset,
            request=self.request,
            **self.get_filterset_kwargs(),
        )

    def get_table_kwargs(self):
        """What the table needs besides its rows: columns left out, figures for its cells."""
        return {}

    def get_table(self, rows):
        return self.table_class(rows, **self.get_table_kwargs())

    def get_export_name(self):
        return self.export_name

    def get_timezone(self):
        """The zone the page and its file write times in: a program's region's on a program's
        list (called after `get_queryset`), None for the person's own."""
        return None

    def get(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        zone = self.get_timezone()
        # The whole page, its rendering included, on the program's clock.
        with timezone.override(zone) if zone else nullcontext():
            self.filterset = self.get_filterset(queryset)
            rows = queryset
            if self.filterset is not None:
                rows = (
                    self.filterset.qs
                    if not self.filterset.is_bound or self.filterset.is_valid()
                    else queryset.none()
                )
            table = self.get_table(rows)
            if wants_xlsx(request):
                sort_all(request, table)
                return xlsx_response(table, self.get_export_name())
            paginate(request, table)
            context = self.get_context_data(table=table, filter=self.filterset)
            return render(request, self.template_name, context)
