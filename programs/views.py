"""Program pages: the list, the program's read view, its public page; a school's documents with
their versions, review and files.

The program page shows rows of other apps (roadmaps, events, indicators, points) through the
program's reverse relations; each keeps its own model's access rule (`visible_to`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import require, visible_or_404
from core.changes import last_changed_on
from core.history import history_rows
from core.pagination import annotate_page, page_of
from core.revisions import StaleRevision
from core.uploads import file_response
from schools.models import Organization

from . import services
from .forms import DocumentForm, DocumentReviewForm, DocumentSubmitForm, DocumentVersionForm
from .models import Curator, Document, DocumentVersion, Program

DOCUMENT_HISTORY_FIELDS = ["status", "version", "title"]


@login_not_required
def program_detail(request, pk):
    """The program's read view for everyone who may see it: passport, participants and pairs,
    roadmaps with progress, events, indicators with targets, monitoring points, documents.
    Opened without signing in, a public program shows its public page; any other asks to
    sign in, as every page does."""
    user = request.user
    if not user.is_authenticated:
        if Program.objects.public().filter(pk=pk).exists():
            return redirect("programs:public", pk=pk)
        return redirect_to_login(request.get_full_path())
    program = visible_or_404(
        Program.objects.select_related("owner", "operator", "region", "municipality__region"),
        user,
        pk=pk,
    )
    indicators = program.indicators.visible_to(user).with_program_targets()
    now = timezone.now()
    events = program.events.visible_to(user).filter(starts_at__gte=now).order_by("starts_at")
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "tasks": program.tasks.all(),
            "stages": program.stages.all(),
            "modules": program.modules.all(),
            "roles": program.roles.select_related("organization"),
            "results": program.expected_results.all(),
            # A national program has thousands of each: every long table is paged on its own.
            "participants": page_of(
                request,
                program.participants.select_related("organization").order_by(
                    "role", "organization__short_name", "pk"
                ),
                "participants_page",
            ),
            "pairs": page_of(
                request,
                program.pairs.select_related("curator_school", "supported_school")
                .prefetch_related(
                    Prefetch(
                        "curators",
                        queryset=Curator.objects.select_related("user", "organization"),
                    )
                )
                .order_by("number", "pk"),
                "pairs_page",
            ),
            "roadmaps": annotate_page(
                page_of(
                    request,
                    program.roadmaps.visible_to(user)
                    .select_related(
                        "organization", "pair__curator_school", "pair__supported_school"
                    )
                    .order_by("level", "title", "pk"),
                    "roadmaps_page",
                ),
                program.roadmaps.model.objects.with_progress(programs=[program]),
            ),
            "events": events[:10],
            "events_count": events.count(),
            "indicators": indicators,
            "points": program.points.visible_to(user).order_by("date"),
            "documents": page_of(
                request,
                Document.objects.visible_to(user)
                .filter(program=program)
                .select_related("organization", "risk_factor")
                .order_by("organization__short_name", "kind", "title", "pk"),
                "documents_page",
            ),
            "can_edit": Program.objects.editable_by(user).filter(pk=pk).exists(),
            "public_url": request.build_absolute_uri(reverse("programs:public", args=[pk]))
            if program.is_public
            else None,
        },
    )


@login_not_required
def program_public(request, pk):
    """The program's public page: purpose, order, tasks, participants, upcoming events and the
    materials schools published — nothing else of the program is shown."""
    program = get_object_or_404(
        Program.objects.public().select_related("owner", "region", "municipality__region"), pk=pk
    )
    return render(
        request,
        "programs/program_public.html",
        {
            "program": program,
            "tasks": program.tasks.all(),
            "participants": program.participants.select_related("organization"),
            "events": program.events.filter(starts_at__gte=timezone.now()).order_by("starts_at")[
                :20
            ],
            # The open-data files' date (дата актуальности), shown beside their links.
            "data_date": last_changed_on(program.pk),
            "materials": Document.objects.published()
            .filter(program=program)
            .select_related("organization")
            .order_by("organization__short_name", "title"),
        },
    )


@login_not_required
def public_document_file(request, pk):
    """A published material's file, for anyone: only documents `published()` lets out."""
    document = get_object_or_404(Document.objects.published(), pk=pk)
    version = document.versions.order_by("-number").first()
    name = version.original_name if version else document.file.name.rsplit("/", 1)[-1]
    return file_response(document.file, name)


@require_POST
def document_publish(request, pk):
    """The school (or a coordinator) shows the document on the program's public page, or
    stops showing it."""
    document = _document(request, pk)
    require(Document.objects.editable_by(request.user), document)
    publish = request.POST.get("publish") == "1"
    Document.objects.filter(pk=document.pk).update(is_public=publish)
    if not publish:
        messages.success(request, "Документ больше не показывается на публичной странице.")
    elif document.program.is_public and document.status == Document.Status.APPROVED:
        messages.success(request, "Документ показывается на публичной странице программы.")
    else:
        messages.success(
            request,
            "Документ будет показан на публичной странице, когда он одобрен, а страница "
            "программы открыта.",
        )
    return redirect(document)


def _document(request, pk):
    return visible_or_404(
        Document.objects.select_related(
            "program__region", "program__municipality__region", "organization", "risk_factor"
        ),
        request.user,
        pk=pk,
    )


def _document_page(request, document, *, upload_form=None, review_form=None, submit_form=None):
    user = request.user
    editable = Document.objects.editable_by(user).contains(document)
    reviewable = Document.objects.reviewable_by(user).contains(document)
    if editable and document.accepts_new_version and upload_form is None:
        upload_form = DocumentVersionForm(revisioned=document)
    if editable and document.can_be_submitted and submit_form is None:
        submit_form = DocumentSubmitForm(revisioned=document)
    if reviewable and document.awaits_verdict and review_form is None:
        review_form = DocumentReviewForm(revisioned=document)
    return render(
        request,
        "programs/document_detail.html",
        {
            "document": document,
            "program": document.program,
            "versions": document.versions.select_related("uploaded_by"),
            "reviews": document.reviews.select_related("reviewer", "organization"),
            "editable": editable,
            "upload_form": upload_form if editable and document.accepts_new_version else None,
            "submit_form": submit_form if editable and document.can_be_submitted else None,
            "review_form": review_form if reviewable and document.awaits_verdict else None,
            "history": history_rows(
                document.history.select_related("history_user"), DOCUMENT_HISTORY_FIELDS
            ),
        },
    )


def document_detail(request, pk):
    return _document_page(request, _document(request, pk))


def document_create(request, organization_pk):
    """A school uploads a new document (a concept, a program, an anti-risk program, its
    roadmap) for one of the programs it takes part in."""
    organization = visible_or_404(Organization.objects.all(), request.user, pk=organization_pk)
    require(Organization.objects.data_editable_by(request.user), organization)
    programs = Program.objects.visible_to(request.user).with_school(organization)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, programs=programs)
        if form.is_valid():
            document = services.create_document(form, organization, request.user)
            messages.success(
                request, "Документ загружен. Отправьте его на проверку, когда он готов."
            )
            return redirect(document)
    else:
        form = DocumentForm(programs=programs, initial={"program": request.GET.get("program")})
    return render(
        request,
        "programs/document_form.html",
        {"form": form, "organization": organization, "has_programs": programs.exists()},
    )


@require_POST
def document_upload(request, pk):
    document = _document(request, pk)
    require(Document.objects.editable_by(request.user), document)
    form = DocumentVersionForm(request.POST, request.FILES, revisioned=document)
    if not document.accepts_new_version:
        form.add_error(None, "Документ на проверке: новую версию можно загрузить после решения.")
    elif form.is_valid():
        try:
            version = services.add_version(
                document,
                request.user,
                form.cleaned_data["file"],
                comment=form.cleaned_data["comment"],
                seen_revision=form.seen_revision,
            )
        except StaleRevision as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, f"Загружена версия {version.number}.")
            return redirect(document)
    return _document_page(request, document, upload_form=form)


@require_POST
def document_submit(request, pk):
    document = _document(request, pk)
    require(Document.objects.editable_by(request.user), document)
    form = DocumentSubmitForm(request.POST, revisioned=document)
    if not document.can_be_submitted:
        messages.error(request, "Этот документ сейчас нельзя отправить на проверку.")
        return redirect(document)
    if form.is_valid():
        try:
            services.submit_document(document, request.user, seen_revision=form.seen_revision)
        except StaleRevision as stale:
            form.refuse_stale(stale)
        else:
            messages.success(request, "Документ отправлен на проверку.")
            return redirect(document)
    return _document_page(request, document, submit_form=form)


@require_POST
def document_review(request, pk):
    document = _document(request, pk)
    require(
        Document.objects.reviewable_by(request.user),
        document,
        "Вы можете видеть этот документ, но проверять его не можете.",
    )
    if not document.awaits_verdict:
        messages.error(request, "Документ не ожидает проверки.")
        return redirect(document)
    form = DocumentReviewForm(request.POST, revisioned=document)
    if form.is_valid():
        approve = form.approves
        try:
            services.review_document(
                document,
                request.user,
                approve=approve,
                comment=form.cleaned_data["comment"].strip(),
                seen_revision=form.seen_revision,
            )
        except StaleRevision as stale:
            form.refuse_stale(stale)
        else:
            messages.success(
                request, "Документ одобрен." if approve else "Документ возвращён на доработку."
            )
            return redirect(document)
    return _document_page(request, document, review_form=form)


def document_file(request, pk):
    document = _document(request, pk)
    version = document.versions.order_by("-number").first()
    name = version.original_name if version else document.file.name.rsplit("/", 1)[-1]
    return file_response(document.file, name)


def version_file(request, pk):
    version = visible_or_404(DocumentVersion.objects.all(), request.user, pk=pk)
    return file_response(version.file, version.original_name)
