"""Choosing among thousands: a search box whose options arrive as the person types.

A national program has 5,000 schools and 90,000 roadmap items; a `<select>` of them all is
megabytes of HTML that nobody can scroll. `SearchSelect` (one choice) and `SearchSelectMultiple`
render only what is chosen, plus a search box; the options for the typed text come from an htmx
endpoint (`search_response`) that filters the very queryset of the form field, so a search never
offers, and the form never accepts, anything outside the field's access rule.
"""

from django import forms
from django.http import Http404
from django.shortcuts import render

from .requests import as_id, read_text
from .search import matching

SEARCH_LIMIT = 20
# Chosen options a multiple picker shows; more are kept and counted, not listed.
SHOWN_CHOSEN = 200


class SearchSelect(forms.Select):
    """A single choice: the chosen option and a search box. `search_url` answers `?q=`."""

    template_name = "core/widgets/search_select.html"
    option_limit = 1

    def __init__(self, search_url="", attrs=None):
        super().__init__(attrs)
        self.search_url = search_url

    def _values(self, value):
        # Only what could be an id is looked up: a posted « », «abc» or a number past a key's
        # range shows as nothing chosen
        # (the field itself says it is not a valid choice), never as a server error.
        return [str(v).strip() for v in (value or []) if as_id(v) is not None]

    def _chosen(self, values):
        """(pk, label) of the chosen rows among `values` that the field's queryset holds."""
        queryset = getattr(self.choices, "queryset", None)
        if not values or queryset is None:
            return []
        label = self.choices.field.label_from_instance
        return [(obj.pk, label(obj)) for obj in queryset.filter(pk__in=values)]

    def optgroups(self, name, value, attrs=None):
        # Only the chosen options: iterating the field's choices would read the whole queryset.
        chosen = self._chosen(self._values(value)[:SHOWN_CHOSEN])
        options = [
            self.create_option(name, pk, label, True, index, attrs=attrs)
            for index, (pk, label) in enumerate(chosen)
        ]
        if not self.allow_multiple_selected and not self.is_required:
            options.insert(0, self.create_option(name, "", "—", not chosen, 0, attrs=attrs))
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        # Past SHOWN_CHOSEN the chosen values travel as hidden inputs: kept, not listed.
        context["widget"]["hidden_values"] = self._values(self.format_value(value))[SHOWN_CHOSEN:]
        return context


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    """Several choices: the chosen ones as ticked boxes (untick to remove), and a search box
    that adds more."""

    template_name = "core/widgets/search_select_multiple.html"


def search_response(request, field, fields=("short_name", "name")):
    """The htmx answer of a picker: at most SEARCH_LIMIT options of the field's queryset that
    match `?q=`, each a button the picker's script turns into the choice."""
    text = read_text(request.GET, "q", max_length=200)
    options = []
    if len(text) >= 2:
        found = matching(field.queryset, text, fields)[: SEARCH_LIMIT + 1]
        options = [(obj.pk, field.label_from_instance(obj)) for obj in found]
    elif not text:
        # An empty box (the picker just took the focus) shows the first options, so a short
        # list is picked without typing and a long one shows what it holds.
        found = field.queryset[: SEARCH_LIMIT + 1]
        options = [(obj.pk, field.label_from_instance(obj)) for obj in found]
    return render(
        request,
        "core/widgets/search_results.html",
        {
            "options": options[:SEARCH_LIMIT],
            "more": len(options) > SEARCH_LIMIT,
            "text": text,
            "name": request.GET.get("name", ""),
        },
    )


def form_search_response(request, form):
    """The htmx answer for the picker named by `?name=` among the form's (or filter set's)
    `search_fields`, through that field's own choices; any other name is not found."""
    name = request.GET.get("name", "")
    if name not in form.search_fields:
        raise Http404("Нет такого поля.")
    # A django-filter FilterSet keeps its fields on its form.
    fields = getattr(form, "form", form).fields
    return search_response(request, fields[name], form.search_fields[name])


def use_picker(field, search_url):
    """Give a model choice field a search picker (multiple for a multiple choice field)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget = (SearchSelectMultiple if multiple else SearchSelect)(search_url)
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget
    return field
