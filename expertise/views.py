"""Pages of expertise: a program's expertise set-up (rounds, criteria, thresholds), assigning
reviewers to a document, a reviewer's sheet, a reviewer's list, what changed between two
reviewed versions; and the curator pairing assistant.

Every view: the object must be visible (404 otherwise) and, to change it, within the user's
rule (403 otherwise). Requests are atomic (ATOMIC_REQUESTS)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, ProtectedError, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import audit
from core.access import reach, require, visible_or_404
from core.formtools import save_or_form_error
from core.requests import read_id
from core.templatetags.portal import person
from programs.models import Document, Program
from programs.setup_forms import PairForm
from schools.models import Organization

from . import pairing, services
from .forms import AssignForm, CriterionFormSet, PairingForm, RoundForm, SheetForm, ThresholdForm
from .models import (
    Assignment,
    Criterion,
    ExpertiseRound,
    PassThreshold,
    documents_assignable_by,
)
from .results import results_by_version, sheets_of, text_changes


def _program_for_setup(request, pk):
    program = visible_or_404(Program.objects.all(), request.user, pk=pk)
    return require(Program.objects.editable_by(request.user), program)


def program_expertise(request, pk):
    """A program's expertise for its coordinators: rounds, thresholds, criteria by kind, and
    the submitted documents with their sheets."""
    program = _program_for_setup(request, pk)
    round_form = RoundForm(program=program, prefix="round")
    threshold_form = ThresholdForm(program=program, prefix="threshold")
    if request.method == "POST":
        if "round-title" in request.POST:
            round_form = RoundForm(request.POST, program=program, prefix="round")
            if round_form.is_valid():
                round_form.save()
                messages.success(request, "Тур экспертизы добавлен.")
                return redirect("expertise:program", pk=program.pk)
        else:
            threshold_form = ThresholdForm(request.POST, program=program, prefix="threshold")
            if threshold_form.is_valid():
                threshold_form.save()
                messages.success(request, "Порог экспертизы сохранён.")
                return redirect("expertise:program", pk=program.pk)
    documents = (
        documents_assignable_by(request.user)
        .filter(program=program, status=Document.Status.SUBMITTED)
        .select_related("organization")
        .annotate(
            sheets=Count(
                "reviews__assignments", filter=Q(reviews__assignments__version=F("version"))
            ),
            open_sheets=Count(
                "reviews__assignments",
                filter=Q(
                    reviews__assignments__version=F("version"),
                    reviews__assignments__verdict=Assignment.Verdict.PENDING,
                ),
            ),
        )
        .order_by("organization__short_name", "kind")
    )
    criteria = Criterion.objects.filter(program=program).values("kind").annotate(n=Count("pk"))
    return render(
        request,
        "expertise/program.html",
        {
            "program": program,
            "rounds": program.expertise_rounds.annotate(
                sheets=Count("assignments"),
                overdue=Count(
                    "assignments",
                    filter=Q(assignments__in=Assignment.objects.overdue(programs=[program])),
                ),
            ),
            "thresholds": PassThreshold.objects.filter(program=program),
            "contests": program.contests.annotate(works=Count("submissions")),
            "criteria_kinds": [
                (kind, label, next((c["n"] for c in criteria if c["kind"] == kind), 0))
                for kind, label in Document.Kind.choices
            ],
            "documents": documents,
            "round_form": round_form,
            "threshold_form": threshold_form,
        },
    )


def criteria(request, pk, kind):
    """The program's checklist for one kind of document, editable; the default set is
    offered when the program has none."""
    program = _program_for_setup(request, pk)
    if kind not in Document.Kind.values:
        raise Http404
    queryset = Criterion.objects.filter(program=program, kind=kind).order_by("order", "pk")
    if request.method == "POST" and "defaults" in request.POST:
        Criterion.ensure_defaults(program, kind)
        messages.success(request, "Создан набор критериев по умолчанию.")
        return redirect("expertise:criteria", pk=program.pk, kind=kind)
    formset = CriterionFormSet(
        request.POST or None, instance=program, queryset=queryset, prefix="criteria"
    )
    if request.method == "POST":
        for form in formset.forms:
            form.instance.kind = kind
        if formset.is_valid():
            for form in formset.forms:
                form.instance.kind = kind
            try:
                with transaction.atomic():
                    formset.save()
            except ProtectedError:
                messages.error(
                    request, "Критерий, по которому уже выставлены баллы, удалить нельзя."
                )
                return redirect("expertise:criteria", pk=program.pk, kind=kind)
            messages.success(request, "Критерии сохранены.")
            return redirect("expertise:criteria", pk=program.pk, kind=kind)
    return render(
        request,
        "expertise/criteria.html",
        {
            "program": program,
            "kind": kind,
            "kind_label": Document.Kind(kind).label,
            "formset": formset,
            "has_criteria": queryset.exists(),
        },
    )


def assign(request, pk):
    """A coordinator gives a reviewer a sheet of the document's current version."""
    document = visible_or_404(
        Document.objects.select_related("program", "organization"), request.user, pk=pk
    )
    require(documents_assignable_by(request.user), document)
    form = AssignForm(request.POST or None, document=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign(
                document,
                data["reviewer"],
                role=data["role"],
                round=data["round"],
                organization=data.get("organization"),
                due_on=data.get("due_on"),
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Эксперт назначен: {person(data['reviewer'])}.")
            return redirect("expertise:assign", pk=document.pk)
    sheets = sheets_of(document)
    return render(
        request,
        "expertise/assign.html",
        {
            "document": document,
            "program": document.program,
            "form": form,
            "sheets": [s for s in sheets if s.version == document.version],
            "has_rounds": ExpertiseRound.objects.filter(program=document.program).exists(),
        },
    )


def _add_errors(form, error):
    fields = {"review": "reviewer", "organization": "organization", "round": "round"}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = fields.get(name)
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def sheet(request, pk):
    """A reviewer's sheet: filled in by the reviewer while the document awaits the verdict on
    this version; read by everyone else who sees the document."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related(
            "review__document__program", "review__document__organization", "review__reviewer"
        ),
        pk=pk,
    )
    fillable = Assignment.objects.fillable_by(request.user).contains(assignment)
    form = None
    if fillable:
        form = SheetForm(request.POST or None, assignment=assignment)
        if request.method == "POST" and form.is_valid():
            try:
                services.decide(
                    assignment,
                    scores=form.score_values(),
                    verdict=form.cleaned_data["verdict"],
                    comment=form.cleaned_data["comment"].strip(),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                document = assignment.document
                audit.record(
                    audit.Action.EXPERTISE_VERDICT,
                    actor=request.user,
                    request=request,
                    organization=document.organization,
                    assignment=assignment.pk,
                    document=document.pk,
                    verdict=form.cleaned_data["verdict"],
                )
                messages.success(request, "Экспертный лист сохранён.")
                return redirect(document)
    elif request.method == "POST":
        raise PermissionDenied("Этот экспертный лист заполняет назначенный эксперт.")
    return render(
        request,
        "expertise/sheet.html",
        {
            "assignment": assignment,
            "document": assignment.document,
            "program": assignment.document.program,
            "form": form,
            "scores": assignment.scores.select_related("criterion"),
            "previous": _previous_sheet(assignment),
            # The school sees what reviewers said, not who they are; coordinators see both.
            "show_names": fillable or reach(request.user).is_territorial,
        },
    )


def _previous_sheet(assignment):
    """The same reviewer's sheet of the previous reviewed version, for comparison."""
    return (
        Assignment.objects.filter(review=assignment.review, version__lt=assignment.version)
        .prefetch_related("scores__criterion")
        .order_by("-version")
        .first()
    )


def my_sheets(request):
    """The sheets given to this user, open ones first."""
    sheets = (
        Assignment.objects.filter(review__reviewer=request.user)
        .select_related(
            "review__document__organization",
            "review__document__program__region",
            "review__document__program__municipality__region",
            "round",
        )
        .order_by("decided_at", "due_on", "pk")
    )
    return render(request, "expertise/my_sheets.html", {"sheets": sheets})


def changes(request, pk):
    """What changed between the document's previous reviewed version and its current one:
    the scores by criterion, the remarks the new version answers, and the text."""
    document = visible_or_404(
        Document.objects.select_related("program", "organization"), request.user, pk=pk
    )
    results = results_by_version(sheets_of(document))
    current = results[0] if results else None
    previous = current.previous if current else None
    versions = {v.number: v for v in document.versions.all()}
    newest = versions.get(document.version)
    older_number = previous.version if previous else (document.version - 1)
    older = versions.get(older_number)
    return render(
        request,
        "expertise/changes.html",
        {
            "document": document,
            "program": document.program,
            "current": current,
            "previous": previous,
            "older": older,
            "newest": newest,
            "text_changes": text_changes(older, newest),
        },
    )


def pairing_view(request, pk):
    """Suggested curators for a supported school of the program, with their reasons."""
    program = _program_for_setup(request, pk)
    form = PairingForm(request.GET or None, program=program, user=request.user)
    school = suggestions = existing = None
    if form.is_valid():
        school = form.cleaned_data["school"]
        existing = (
            program.pairs.filter(supported_school=school).select_related("curator_school").first()
        )
        suggestions = pairing.suggest(program, school, request.user)
    return render(
        request,
        "expertise/pairing.html",
        {
            "program": program,
            "form": form,
            "school": school,
            "existing": existing,
            "suggestions": suggestions,
        },
    )


@require_POST
def pairing_accept(request, pk):
    """The coordinator accepts a suggestion: the pair is made through the program's pair form,
    with its rules (one curator per school, never itself, schools of the user's territory)."""
    program = _program_for_setup(request, pk)
    school = get_object_or_404(
        Organization.objects.visible_to(request.user),
        pk=read_id(request.POST, "school", required=True),
    )
    form = PairForm(
        {
            "curator_school": request.POST.get("curator_school"),
            "supported_school": school.pk,
            "number": "",
        },
        program=program,
        user=request.user,
    )
    pair = form.is_valid() and save_or_form_error(
        form, form.save, "У этой школы уже есть школа-куратор в программе."
    )
    if pair:
        messages.success(request, f"Пара «{pair}» создана. Назначьте кураторов.")
        return redirect("programs:setup_pair", pk=pair.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(f"{reverse('expertise:pairing', args=[program.pk])}?school={school.pk}")
