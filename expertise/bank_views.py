"""The bank of good practice: the searchable list, the public bank, a practice card with the
measured change of its adopters, adding and editing cards, adoptions; contests with
submissions, jury scores and winners."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import audit
from core.access import require, visible_or_404
from core.pagination import page_of
from core.search import matches
from core.uploads import discard_on_failure, file_response
from programs.models import Program
from schools.models import Organization, RiskFactor

from .evidence import practice_evidence
from .forms import AdoptionForm, ContestForm, JuryScoreForm, PracticeForm, SubmitPracticeForm
from .models import (
    Contest,
    JuryScore,
    Practice,
    PracticeFile,
    Subject,
    Submission,
)

CONTESTS_SHOWN = 10


class PracticeFilter(django_filters.FilterSet):
    """Search the bank by words of the title or description, by risk factor and by subject."""

    q = django_filters.CharFilter(label="Поиск", method="search")
    risk_factor = django_filters.ModelChoiceFilter(
        label="Фактор риска",
        field_name="risk_factors",
        queryset=RiskFactor.objects.all(),
        # A factor's title runs to 200 characters: the box keeps the column's width.
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    subject = django_filters.ModelChoiceFilter(
        label="Предмет",
        field_name="subjects",
        queryset=Subject.objects.all(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Practice
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            matches(value, ("title", "description", "author_school__short_name"))
        )


def _listed(queryset):
    return (
        queryset.select_related("author_school")
        .prefetch_related("risk_factors", "subjects")
        .annotate(adopters=Count("adoptions", distinct=True))
    )


def _bank_page(request, queryset, template, extra=None):
    filterset = PracticeFilter(request.GET or None, queryset=queryset)
    practices = filterset.qs.distinct() if filterset.is_bound else queryset
    page = page_of(request, _listed(practices).order_by("-created_at", "pk"))
    return render(request, template, {"filter": filterset, "page": page, **(extra or {})})


def bank(request):
    """The bank for signed-in users: practices in the bank, and the cards of their schools."""
    user = request.user
    return _bank_page(
        request,
        Practice.objects.visible_to(user),
        "expertise/bank.html",
        {
            "can_add": PracticeForm(user=user).fields["author_school"].queryset.exists(),
            "contests": Contest.objects.visible_to(user)
            .select_related("program")
            .annotate(works=Count("submissions"))[:CONTESTS_SHOWN],
        },
    )


@login_not_required
def public_bank(request):
    """The open bank: practices whose authors chose to publish them."""
    return _bank_page(request, Practice.objects.public(), "expertise/bank_public.html")


@login_not_required
def public_practice(request, pk):
    practice = get_object_or_404(Practice.objects.public().select_related("author_school"), pk=pk)
    return render(request, "expertise/practice_public.html", {"practice": practice})


def practice_detail(request, pk):
    user = request.user
    practice = visible_or_404(
        Practice.objects.select_related("author_school", "program").prefetch_related(
            "risk_factors", "subjects", "files"
        ),
        user,
        pk=pk,
    )
    adoption_form = AdoptionForm(practice=practice, user=user)
    return render(
        request,
        "expertise/practice_detail.html",
        {
            "practice": practice,
            "adoptions": practice.adoptions.select_related("school"),
            "evidence": practice_evidence(practice, user),
            "editable": Practice.objects.editable_by(user).contains(practice),
            "can_include": not practice.in_bank
            and Organization.objects.editable_by(user).contains(practice.author_school),
            "adoption_form": adoption_form
            if adoption_form.fields["school"].queryset.exists()
            else None,
            "submissions": practice.submissions.select_related("contest"),
        },
    )


def _save_files(practice, files):
    with discard_on_failure() as written:
        for upload in files:
            stored = PracticeFile(practice=practice, original_name=upload.name[:300])
            stored.file.save(upload.name, upload, save=False)
            written.append(stored.file)
            stored.save()


def practice_form(request, pk=None):
    """A new practice card, or an existing one changed by its school."""
    user = request.user
    practice = None
    if pk is not None:
        practice = visible_or_404(Practice.objects.all(), user, pk=pk)
        require(Practice.objects.editable_by(user), practice)
    form = PracticeForm(request.POST or None, request.FILES or None, instance=practice, user=user)
    if pk is None and not form.fields["author_school"].queryset.exists():
        raise PermissionDenied("Карточку практики добавляет школа или координатор её территории.")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if practice is None:
                saved.created_by = user
            saved.save()
            form.save_m2m()
            _save_files(saved, form.cleaned_data["files"])
            # The author school is one the user may change: checked again after the write.
            require(Practice.objects.editable_by(user), saved)
        messages.success(request, "Карточка практики сохранена.")
        return redirect(saved)
    return render(request, "expertise/practice_form.html", {"form": form, "practice": practice})


@require_POST
def adopt(request, pk):
    """A school (or its coordinator) records that it adopted the practice, and since when."""
    user = request.user
    practice = visible_or_404(Practice.objects.all(), user, pk=pk)
    form = AdoptionForm(request.POST, practice=practice, user=user)
    if form.is_valid():
        adoption = form.save()
        messages.success(request, f"Внедрение отмечено: {adoption.school}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(practice)


@require_POST
def include_in_bank(request, pk):
    """A coordinator of the author school's territory takes the card into the bank."""
    practice = visible_or_404(Practice.objects.select_related("author_school"), request.user, pk=pk)
    require(Organization.objects.editable_by(request.user), practice.author_school)
    practice.in_bank = True
    practice.save(update_fields=["in_bank"])
    messages.success(request, "Практика добавлена в банк.")
    return redirect(practice)


@login_not_required
def practice_file(request, pk):
    """A practice's file: to those who see the card, and to anyone for a public one."""
    stored = get_object_or_404(
        PracticeFile.objects.filter(
            Q(practice__in=Practice.objects.visible_to(request.user))
            | Q(practice__in=Practice.objects.public())
        ),
        pk=pk,
    )
    return file_response(stored.file, stored.original_name)


def contest_create(request, pk):
    program = visible_or_404(Program.objects.all(), request.user, pk=pk)
    require(Program.objects.editable_by(request.user), program)
    form = ContestForm(request.POST or None, program=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        contest = form.save()
        messages.success(request, "Конкурс создан.")
        return redirect(contest)
    return render(request, "expertise/contest_form.html", {"form": form, "program": program})


def contest_detail(request, pk):
    """Submissions ranked by the jury's average; the juror's own scores; a school submits its
    practice; the coordinator names the winners."""
    user = request.user
    contest = visible_or_404(Contest.objects.select_related("program"), user, pk=pk)
    submissions = (
        contest.submissions.select_related("practice__author_school")
        .annotate(average=Avg("jury_scores__score"), scored=Count("jury_scores"))
        .prefetch_related(
            Prefetch("jury_scores", queryset=JuryScore.objects.filter(juror=user), to_attr="mine")
        )
        .order_by("-is_winner", "-average", "submitted_at")
    )
    submit_form = (
        SubmitPracticeForm(contest=contest, user=user) if contest.accepts_submissions() else None
    )
    return render(
        request,
        "expertise/contest_detail.html",
        {
            "contest": contest,
            "program": contest.program,
            "submissions": submissions,
            "is_juror": contest.jury.filter(pk=user.pk).exists(),
            "scorable": set(
                Submission.objects.scorable_by(user)
                .filter(contest=contest)
                .values_list("pk", flat=True)
            ),
            "can_edit": Contest.objects.editable_by(user).contains(contest),
            "submit_form": submit_form
            if submit_form and submit_form.fields["practice"].queryset.exists()
            else None,
            "score_form": JuryScoreForm(contest=contest),
        },
    )


@require_POST
def contest_submit(request, pk):
    contest = visible_or_404(Contest.objects.all(), request.user, pk=pk)
    form = SubmitPracticeForm(request.POST, contest=contest, user=request.user)
    if not contest.accepts_submissions():
        messages.error(request, f"Приём работ закончился {contest.submissions_until:%d.%m.%Y}.")
    elif form.is_valid():
        Submission.objects.create(contest=contest, practice=form.cleaned_data["practice"])
        messages.success(request, "Практика подана на конкурс.")
    else:
        messages.error(request, "Выберите практику своей школы, ещё не поданную на этот конкурс.")
    return redirect(contest)


def _submission(request, pk):
    return get_object_or_404(
        Submission.objects.filter(
            contest__in=Contest.objects.visible_to(request.user)
        ).select_related("contest", "practice"),
        pk=pk,
    )


@require_POST
def jury_score(request, pk):
    submission = _submission(request, pk)
    contest = submission.contest
    if not contest.jury.filter(pk=request.user.pk).exists():
        raise PermissionDenied("Оценивают работы члены жюри конкурса.")
    require(
        Submission.objects.scorable_by(request.user),
        submission,
        "Член жюри не оценивает работу своей школы.",
    )
    form = JuryScoreForm(request.POST, contest=contest)
    if form.is_valid():
        JuryScore.objects.update_or_create(
            submission=submission,
            juror=request.user,
            defaults={
                "score": form.cleaned_data["score"],
                "comment": form.cleaned_data["comment"],
            },
        )
        audit.record(
            audit.Action.JURY_SCORE,
            actor=request.user,
            request=request,
            organization=submission.practice.author_school,
            contest=contest.pk,
            submission=submission.pk,
            score=form.cleaned_data["score"],
        )
        messages.success(request, f"Оценка работы «{submission.practice}» сохранена.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(contest)


@require_POST
def declare_winner(request, pk):
    submission = _submission(request, pk)
    require(Contest.objects.editable_by(request.user), submission.contest)
    submission.declare_winner()
    messages.success(request, f"«{submission.practice}» — победитель; практика добавлена в банк.")
    return redirect(submission.contest)
