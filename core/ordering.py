"""The order of a list that people rearrange by hand: drag and drop (static/js/portal.js) posts
every id in its new order, and the ↑ ↓ buttons move one row without JavaScript. Roadmap items
and a program's tasks and modules use it; each caller passes the rows that form the list (a
queryset of one roadmap's items, one program's tasks) after checking that the user may change
them, and the field that holds the position.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from .changes import data_changed

CHANGED_MEANWHILE = (
    "Список изменился, пока страница была открыта (в новом порядке есть чужие, повторённые "
    "или пропущенные строки): обновите страницу и повторите."
)


class ReorderForm(forms.Form):
    """The new order of a list, as the ids of all its rows (from drag and drop). It must name
    each row of the list exactly once: a foreign, repeated or missing id is refused whole."""

    items = forms.CharField(error_messages={"required": CHANGED_MEANWHILE})

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def clean_items(self):
        try:
            ids = [int(part) for part in self.cleaned_data["items"].split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError("Неверный порядок строк: обновите страницу.") from error
        existing = set(self.rows.values_list("pk", flat=True))
        if len(ids) != len(set(ids)) or set(ids) != existing:
            raise forms.ValidationError(CHANGED_MEANWHILE)
        return ids


def renumber(rows, ids, field="order", program_id=None):
    """Give the rows the positions 0, 1, … in the order of `ids` (every row's id), writing only
    the rows whose position changes. A new order is not a change of content: revisions, which
    guard the rows' forms against lost updates, are left alone. bulk_update sends no signals,
    so the program the rows belong to is marked changed here (its dashboard lists modules in
    their order)."""
    by_pk = {row.pk: row for row in rows}
    changed = []
    # A new position is a change the read API's «changed since» reports; bulk_update skips
    # `auto_now`, so the stamp is set here on the models that keep one.
    stamped = any(f.name == "updated_at" for f in rows.model._meta.concrete_fields)
    now = timezone.now()
    for position, pk in enumerate(ids):
        row = by_pk[pk]
        if getattr(row, field) != position:
            setattr(row, field, position)
            if stamped:
                row.updated_at = now
            changed.append(row)
    rows.model.objects.bulk_update(changed, [field, "updated_at"] if stamped else [field])
    if changed and program_id is not None:
        data_changed(program_id)


def move(rows, row, direction, field="order", program_id=None):
    """Swap the row with its neighbour above ("up") or below ("down"); nothing at either end."""
    ids = list(rows.values_list("pk", flat=True))
    index = ids.index(row.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        renumber(rows, ids, field, program_id)


def move_response(request, rows, row, redirect_to, field="order", program_id=None):
    """The view of an ↑ / ↓ button: move the row, and back to the list at that row."""
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest("direction: up или down")
    move(rows, row, direction, field, program_id)
    return redirect(redirect_to)


def reorder_response(request, rows, redirect_to, field="order", program_id=None):
    """The view of drag and drop: save the posted order of all rows, or refuse it whole with
    the reason. An htmx request gets the line that says so (core/_reorder_result.html); a
    plain post, a message and the list again."""
    form = ReorderForm(request.POST, rows=rows)
    error = None if form.is_valid() else form.errors["items"][0]
    if error is None:
        renumber(rows, form.cleaned_data["items"], field, program_id)
    if request.htmx:
        status = 400 if error else 200
        return render(request, "core/_reorder_result.html", {"error": error}, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Порядок сохранён.")
    return redirect(redirect_to)
