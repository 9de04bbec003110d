"""Set-up of a program's roadmaps: roadmaps, their items (with the deadline parsed as it is
typed), the order of items (move up/down, or drag with JavaScript), and roadmaps for all
supported schools at once.

Access: the program's roadmaps page needs `Program.objects.editable_by`; a roadmap's items need
`Roadmap.objects.editable_by` (coordinators of the program, and a pair's curators for the
pair's roadmap). Not seen: 404; seen but not theirs: 403.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.access import require, visible_or_404
from core.changes import data_changed
from core.ordering import move_response, reorder_response
from core.pagination import annotate_page, page_of
from core.pickers import search_response
from core.requests import read_id
from core.revisions import StaleRevision, claim
from programs.models import Program

from .models import Roadmap, RoadmapItem
from .schedule import parse_schedule
from .setup_forms import RoadmapForm, RoadmapItemForm, SchoolRoadmapsForm


def roadmaps(request, pk):
    """A program's roadmaps, a form for a new one, and roadmaps for every supported school."""
    program = Program.objects.set_up_by(request.user, pk)
    form = RoadmapForm(
        request.POST if "create" in request.POST else None, program=program, user=request.user
    )
    # A national program's coordinator does not see every school's roadmap: list and copy
    # only those they see.
    visible = Roadmap.objects.visible_to(request.user).filter(program=program)
    bulk = SchoolRoadmapsForm(
        request.POST if "bulk" in request.POST else None,
        roadmaps=visible,
        prefix="bulk",
        search_url=reverse("roadmaps:setup_search", args=[program.pk]),
    )
    if request.method == "POST" and form.is_bound and form.is_valid():
        roadmap = form.save()
        messages.success(request, f"Дорожная карта «{roadmap}» создана. Добавьте её пункты.")
        return redirect("roadmaps:setup_roadmap", pk=roadmap.pk)
    if request.method == "POST" and bulk.is_bound and bulk.is_valid():
        created = _school_roadmaps(program, **bulk.cleaned_data)
        messages.success(request, f"Создано дорожных карт школ: {created}.")
        return redirect("roadmaps:setup", pk=program.pk)
    listed = page_of(
        request,
        visible.select_related(
            "organization", "pair__curator_school", "pair__supported_school"
        ).order_by("level", "title", "pk"),
        "page",
    )
    annotate_page(listed, Roadmap.objects.annotate(item_count=Count("items")), ["item_count"])
    return render(
        request,
        "roadmaps/setup/roadmaps.html",
        {
            "program": program,
            "roadmaps": listed,
            "form": form,
            "bulk": bulk,
            "active": "roadmaps",
        },
    )


@require_safe
def setup_search(request, pk):
    """Schools, pairs and roadmaps for the pickers of the set-up forms, found through the forms'
    own choices."""
    program = Program.objects.set_up_by(request.user, pk)
    name = request.GET.get("name", "")
    if name in RoadmapForm.search_fields:
        form = RoadmapForm(program=program, user=request.user)
        return search_response(request, form.fields[name], RoadmapForm.search_fields[name])
    if name == "bulk-copy_from":
        visible = Roadmap.objects.visible_to(request.user).filter(program=program)
        form = SchoolRoadmapsForm(roadmaps=visible)
        fields = SchoolRoadmapsForm.search_fields["copy_from"]
        return search_response(request, form.fields["copy_from"], fields)
    raise Http404("Нет такого поля.")


def _school_roadmaps(program, title, copy_from):
    """One roadmap per supported school that has none, with copies of the template's items."""
    have = program.roadmaps.filter(level=Roadmap.Level.SCHOOL).values("organization")
    schools = (
        program.participants.supported()
        .exclude(organization__in=have)
        .select_related("organization")
    )
    new = [
        Roadmap(
            program=program,
            level=Roadmap.Level.SCHOOL,
            organization=p.organization,
            title=f"{title} — {p.organization.short_name}",
        )
        for p in schools
    ]
    Roadmap.objects.bulk_create(new)
    data_changed(program.pk)
    if copy_from is not None and new:
        template = list(copy_from.items.all())
        RoadmapItem.objects.bulk_create(
            [
                RoadmapItem(
                    roadmap=roadmap,
                    module_id=item.module_id,
                    number=item.number,
                    order=item.order,
                    title=item.title,
                    schedule_text=item.schedule_text,
                    starts_on=item.starts_on,
                    due_on=item.due_on,
                    recurring=item.recurring,
                    responsible_note=item.responsible_note,
                    expected_result=item.expected_result,
                )
                for roadmap in new
                for item in template
            ],
            batch_size=1000,
        )
    return len(new)


def editable_roadmap(request, pk):
    roadmap = visible_or_404(Roadmap.objects.select_related("program"), request.user, pk=pk)
    return require(Roadmap.objects.editable_by(request.user), roadmap)


def roadmap_setup(request, pk):
    """The items of a roadmap in order, with a form to add one."""
    roadmap = editable_roadmap(request, pk)
    form = RoadmapItemForm(request.POST or None, roadmap=roadmap, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = form.save()
        messages.success(request, f"Пункт «{item}» добавлен.")
        _warn_if_undated(request, item)
        return redirect(f"{request.path}#item-{item.pk}")
    items = roadmap.items.select_related("module").prefetch_related("responsible")
    return render(
        request,
        "roadmaps/setup/roadmap_setup.html",
        {
            "program": roadmap.program,
            "roadmap": roadmap,
            "items": items,
            "form": form,
            "may_set_up_program": Program.objects.editable_by(request.user)
            .filter(pk=roadmap.program_id)
            .exists(),
            "active": "roadmaps",
        },
    )


def editable_item(request, pk):
    item = visible_or_404(
        RoadmapItem.objects.select_related("roadmap__program"), request.user, pk=pk
    )
    return require(RoadmapItem.objects.editable_by(request.user), item)


def item_edit(request, pk):
    item = editable_item(request, pk)
    form = RoadmapItemForm(
        request.POST or None, instance=item, roadmap=item.roadmap, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                claim(item, form.seen_revision)
                form.save()
        except StaleRevision as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Пункт дорожной карты сохранён.")
            _warn_if_undated(request, item)
            return redirect(f"{_setup_url(item.roadmap)}#item-{item.pk}")
    return render(
        request,
        "roadmaps/setup/item_form.html",
        {"program": item.roadmap.program, "roadmap": item.roadmap, "item": item, "form": form},
    )


def _warn_if_undated(request, item):
    """An item saved without dates is never late and is missing from the calendar: say so."""
    if item.starts_on is None and item.due_on is None:
        messages.warning(
            request,
            f"У мероприятия «{item}» нет дат: срок «{item.schedule_text or 'не указан'}» их не "
            "называет. Отметьте «даты вручную» и укажите их, если они нужны.",
        )


def _setup_url(roadmap):
    return reverse("roadmaps:setup_roadmap", args=[roadmap.pk])


@require_POST
def item_delete(request, pk):
    item = editable_item(request, pk)
    roadmap = item.roadmap
    item.delete()
    messages.success(request, f"Пункт «{item}» удалён.")
    return redirect("roadmaps:setup_roadmap", pk=roadmap.pk)


@require_POST
def item_move(request, pk):
    """Move an item one place up or down: the fallback of drag and drop, without JavaScript."""
    item = editable_item(request, pk)
    return move_response(
        request,
        item.roadmap.items.all(),
        item,
        f"{_setup_url(item.roadmap)}#item-{item.pk}",
        program_id=item.roadmap.program_id,
    )


@require_POST
def reorder(request, pk):
    """Save the order of all items at once (drag and drop posts the ids in their new order)."""
    roadmap = editable_roadmap(request, pk)
    return reorder_response(
        request, roadmap.items.all(), _setup_url(roadmap), program_id=roadmap.program_id
    )


def schedule_preview(request):
    """The dates `parse_schedule` derives from the wording being typed (htmx partial)."""
    program = visible_or_404(
        Program.objects.all(), request.user, pk=read_id(request.GET, "program", required=True)
    )
    text = next((value for key, value in request.GET.items() if key.endswith("schedule_text")), "")
    schedule = parse_schedule(text, year=program.year, period=program.period)
    return render(
        request,
        "roadmaps/setup/_schedule_preview.html",
        {"schedule": schedule, "text": text.strip()},
    )
