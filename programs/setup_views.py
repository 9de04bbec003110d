"""Set-up of a program by its coordinators, in the portal: passport, tasks, stages, modules,
participants, curator pairs with curators and agreements.

Every view: the program must be visible (`visible_or_404`, else 404) and editable
(`Program.objects.editable_by`, else 403). Requests are atomic (ATOMIC_REQUESTS), so a form
error or a refused re-check leaves nothing half-saved.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from core.access import require, visible_or_404
from core.changes import data_changed
from core.ordering import move_response, reorder_response
from core.pagination import paginate
from core.pickers import form_search_response
from core.revisions import StaleRevision, create_or_stale
from core.setup import delete_unless_blocked
from core.uploads import file_response
from schools.models import SchoolStatus

from .models import Agreement, CuratorPair, Participant, Program
from .setup_forms import (
    PART_FORMSETS,
    AddParticipantsForm,
    AgreementFormSet,
    CandidateFilterForm,
    CuratorFormSet,
    PairForm,
    PartLinesForm,
    ProgramForm,
    owner_choices,
    program_schools,
)
from .tables import PairTable, ParticipantTable

CANDIDATES_SHOWN = 200


def editable_program(request, pk):
    """The program if the user may set it up (`ProgramQuerySet.set_up_by`)."""
    return Program.objects.set_up_by(request.user, pk)


def program_create(request):
    if not owner_choices(request.user).exists():
        raise PermissionDenied("Создавать программы могут координаторы органов управления.")
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        program = form.save()
        # The choices make this hold; checked again so that a rule change cannot leave a
        # program nobody may set up.
        require(Program.objects.editable_by(request.user), program)
        messages.success(request, f"Программа «{program}» создана. Заполните её разделы.")
        return redirect("programs:setup", pk=program.pk)
    return render(request, "programs/setup/program_form.html", {"form": form})


def program_setup(request, pk):
    """The passport form and an overview of the sections still to fill."""
    program = editable_program(request, pk)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        require(Program.objects.editable_by(request.user), program)
        saved = "Паспорт программы сохранён."
        if program.is_public:
            address = request.build_absolute_uri(reverse("programs:public", args=[program.pk]))
            saved += f" Публичная страница программы: {address}"
        messages.success(request, saved)
        return redirect("programs:setup", pk=program.pk)
    counts = {
        "tasks": program.tasks.count(),
        "stages": program.stages.count(),
        "modules": program.modules.count(),
        "participants": program.participants.count(),
        "pairs": program.pairs.count(),
        "roadmaps": program.roadmaps.count(),
        "points": program.points.count(),
        "indicators": program.indicators.count(),
        "events": program.events.count(),
    }
    return render(
        request,
        "programs/setup/program_setup.html",
        {"program": program, "form": form, "counts": counts, "active": "passport"},
    )


# Parts that a pasted list adds several at a time (a stage needs its dates), and that are put
# in order by dragging their rows or with the ↑ ↓ buttons (stages follow their dates).
LINE_PARTS = {"tasks", "modules"}


def program_parts(request, pk, part):
    """Tasks, stages or modules of a program, as one formset."""
    if part not in PART_FORMSETS:
        raise Http404
    program = editable_program(request, pk)
    title, formset_class = PART_FORMSETS[part]
    adding = request.method == "POST" and "add-lines" in request.POST
    lines = None
    if part in LINE_PARTS:
        lines = PartLinesForm(
            request.POST if adding else None,
            part_model=formset_class.model,
            program=program,
            prefix="add",
        )
        if adding and lines.is_valid() and (added := lines.save()) is not None:
            messages.success(request, f"{title}: добавлено {len(added)}.")
            return redirect("programs:setup_parts", pk=program.pk, part=part)
    posted = request.POST if request.method == "POST" and not adding else None
    formset = formset_class(posted, instance=program, prefix=part)
    if posted is not None and formset.is_valid():
        formset.save()
        messages.success(request, f"{title}: изменения сохранены.")
        return redirect("programs:setup_parts", pk=program.pk, part=part)
    return render(
        request,
        "programs/setup/program_parts.html",
        {
            "program": program,
            "formset": formset,
            "title": title,
            "active": part,
            "lines": lines,
            "ordered": formset_class.model.objects.filter(program=program)
            if part in LINE_PARTS
            else None,
        },
    )


def _ordered_parts(request, pk, part):
    """The program's tasks or modules, as the list to reorder, once the user may set it up."""
    if part not in LINE_PARTS:
        raise Http404
    program = editable_program(request, pk)
    model = PART_FORMSETS[part][1].model
    return program, model.objects.filter(program=program)


def _parts_url(program, part):
    return reverse("programs:setup_parts", args=[program.pk, part])


@require_POST
def part_move(request, pk, part, part_pk):
    """Move a task or module one place up or down: drag and drop without JavaScript."""
    program, rows = _ordered_parts(request, pk, part)
    row = get_object_or_404(rows, pk=part_pk)
    return move_response(
        request, rows, row, f"{_parts_url(program, part)}#part-{row.pk}", program_id=program.pk
    )


@require_POST
def part_reorder(request, pk, part):
    """Save the order of all the program's tasks or modules (drag and drop posts their ids)."""
    program, rows = _ordered_parts(request, pk, part)
    return reorder_response(request, rows, _parts_url(program, part), program_id=program.pk)


def participants(request, pk):
    """Current participants, and schools of the territory to add, filtered by their status
    categories of a year."""
    program = editable_program(request, pk)
    source = (request.POST if request.method == "POST" else request.GET).copy()
    if not source.get("year"):
        # Identification is made by the results of the year before the program's.
        source["year"] = program.year - 1
    candidate_filter = CandidateFilterForm(source, program=program, user=request.user)
    candidates = candidate_filter.filter(program_schools(program, request.user))
    form = AddParticipantsForm(
        request.POST if request.method == "POST" else None, candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        chosen = candidates if form.cleaned_data["add_all"] else form.cleaned_data["organizations"]
        added = _add(program, chosen, form.cleaned_data["role"])
        messages.success(request, f"Добавлено участников: {added}.")
        return redirect(_participants_url(program, source))
    year = candidate_filter.cleaned_data["year"] if candidate_filter.is_valid() else None
    shown = list(
        candidates.select_related("municipality").prefetch_related(
            Prefetch(
                "statuses",
                queryset=SchoolStatus.objects.filter(year=year),
                to_attr="year_statuses",
            ),
            Prefetch(
                "participations",
                queryset=Participant.objects.filter(program=program),
                to_attr="in_program",
            ),
        )[: CANDIDATES_SHOWN + 1]
    )
    table = ParticipantTable(
        program.participants.select_related("organization__municipality"), orderable=True
    )
    paginate(request, table)
    return render(
        request,
        "programs/setup/participants.html",
        {
            "program": program,
            "table": table,
            "candidate_filter": candidate_filter,
            "form": form,
            "candidates": shown[:CANDIDATES_SHOWN],
            "more_candidates": len(shown) > CANDIDATES_SHOWN,
            "candidate_count": candidates.count(),
            "year": year,
            "active": "participants",
        },
    )


def _add(program, organizations, role):
    existing = set(
        Participant.objects.filter(program=program, role=role).values_list(
            "organization_id", flat=True
        )
    )
    new = [
        Participant(program=program, organization_id=pk, role=role)
        for pk in organizations.values_list("pk", flat=True)
        if pk not in existing
    ]
    # A concurrent identical request may have added some of them meanwhile: those are skipped,
    # and the count says what this request added.
    Participant.objects.bulk_create(new, ignore_conflicts=True)
    data_changed(program.pk)
    return (
        Participant.objects.filter(program=program, role=role).count() - len(existing) if new else 0
    )


def _participants_url(program, data):
    query = {k: data.getlist(k) for k in ("year", "categories", "municipality", "q") if k in data}
    url = reverse("programs:setup_participants", args=[program.pk])
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


@require_POST
def participant_remove(request, pk):
    participant = get_object_or_404(Participant.objects.select_related("program"), pk=pk)
    program = editable_program(request, participant.program_id)
    delete_unless_blocked(
        request, participant, f"«{participant.organization}» больше не участник программы."
    )
    return redirect("programs:setup_participants", pk=program.pk)


def pairs(request, pk):
    program = editable_program(request, pk)
    form = PairForm(request.POST or None, program=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pair = create_or_stale(form.save)
        except StaleRevision:
            # The same pair sent twice at once (a double click, two tabs): one row, no error.
            messages.info(
                request, "Эта пара уже добавлена — только что, этим же или другим запросом."
            )
            return redirect("programs:setup_pairs", pk=program.pk)
        messages.success(request, f"Пара «{pair}» добавлена. Назначьте кураторов.")
        return redirect("programs:setup_pair", pk=pair.pk)
    table = PairTable(
        program.pairs.select_related("curator_school", "supported_school").prefetch_related(
            "curators__user", "agreements"
        ),
        orderable=False,
    )
    paginate(request, table)
    return render(
        request,
        "programs/setup/pairs.html",
        {"program": program, "form": form, "table": table, "active": "pairs"},
    )


@require_safe
def pairs_search(request, pk):
    """Schools for the pair form's pickers, found through the form's own choices."""
    program = editable_program(request, pk)
    return form_search_response(request, PairForm(program=program, user=request.user))


@require_safe
def participants_search(request, pk):
    """Municipalities for the candidate filter's picker, through the form's own choices."""
    program = editable_program(request, pk)
    return form_search_response(request, CandidateFilterForm(program=program, user=request.user))


def pair_setup(request, pk):
    """A pair's curators and agreements."""
    pair = get_object_or_404(
        CuratorPair.objects.visible_to(request.user).select_related(
            "program", "curator_school", "supported_school"
        ),
        pk=pk,
    )
    program = editable_program(request, pair.program_id)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    curators = CuratorFormSet(data, instance=pair, prefix="curators")
    agreements = AgreementFormSet(data, files, instance=pair, prefix="agreements")
    if request.method == "POST" and curators.is_valid() and agreements.is_valid():
        curators.save()
        agreements.save()
        messages.success(request, "Кураторы и соглашения пары сохранены.")
        return redirect("programs:setup_pair", pk=pair.pk)
    return render(
        request,
        "programs/setup/pair_form.html",
        {
            "program": program,
            "pair": pair,
            "curators": curators,
            "agreements": agreements,
            "active": "pairs",
        },
    )


@require_POST
def pair_delete(request, pk):
    pair = get_object_or_404(CuratorPair.objects.visible_to(request.user), pk=pk)
    program = editable_program(request, pair.program_id)
    if not delete_unless_blocked(request, pair, f"Пара «{pair}» удалена."):
        return redirect("programs:setup_pair", pk=pair.pk)
    return redirect("programs:setup_pairs", pk=program.pk)


def agreement_file(request, pk):
    """The agreement's file, to the pair and those who run the program (`Agreement.objects.
    visible_to`)."""
    agreement = visible_or_404(Agreement.objects.all(), request.user, pk=pk)
    return file_response(agreement.file, agreement.file.name.rsplit("/", 1)[-1])
