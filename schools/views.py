"""Pages of the schools app: the list of schools, and a school's risk profiles — filled in by
the school (saved as a draft while unfinished, then submitted), compared to show which factors
went up and down. Comparisons read submitted profiles only.

The school's own page gathers from every app, so it lives in config/views.py."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render

from core.access import require, visible_or_404
from core.revisions import StaleRevision

from .forms import RiskCompareForm, RiskProfileForm
from .models import Organization, RiskFactor, RiskLevel, RiskProfile
from .services import save_risk_profile


def _profiles(user, school):
    """The school's submitted profiles the user sees, newest first, with their levels."""
    return (
        RiskProfile.objects.visible_to(user)
        .submitted()
        .filter(school=school)
        .prefetch_related(Prefetch("levels", queryset=RiskLevel.objects.select_related("factor")))
        .order_by("-assessed_on")
    )


def risk_profile_detail(request, pk):
    profile = visible_or_404(RiskProfile.objects.select_related("school"), request.user, pk=pk)
    if profile.is_draft:
        # A draft has no dynamics yet: whoever sees it may finish it.
        return redirect("schools:risk_profile_edit", pk=profile.pk)
    profiles = list(_profiles(request.user, profile.school))
    older = next((p for p in profiles if p.assessed_on < profile.assessed_on), None)
    profile = next(p for p in profiles if p.pk == profile.pk)
    return render(
        request,
        "schools/risk_profile_detail.html",
        {
            "profile": profile,
            "school": profile.school,
            "older": older,
            "rows": profile.compare_with(older, RiskFactor.objects.all()),
            "can_edit": RiskProfile.objects.editable_by(request.user)
            .filter(pk=profile.pk)
            .exists(),
        },
    )


def _profile_form_page(request, form, school):
    """Submit the profile (every field valid), or save it as a draft: what is valid is kept,
    and the page comes back with the rest marked beside each field."""
    if request.method == "POST":
        # The draft button is shown only where a draft may be saved; a post naming it elsewhere
        # is a submission.
        draft = "draft" in request.POST and form.may_be_draft
        was_draft = form.may_be_draft
        if draft or form.is_valid():
            try:
                profile = save_risk_profile(form, request.user, draft=draft)
            except StaleRevision as stale:
                form.refuse_stale(stale)
            else:
                if profile is not None and not draft:
                    done = "отправлен" if was_draft else "сохранён"
                    messages.success(request, f"Рисковый профиль {done}.")
                    return redirect(profile)
                if profile is not None and not form.errors:
                    messages.success(
                        request, "Черновик сохранён. Отправьте профиль, когда он будет готов."
                    )
                    return redirect("schools:risk_profile_edit", pk=profile.pk)
                if profile is not None:
                    # The page now stands for the saved draft: the next post continues it.
                    data = form.data.copy()
                    data[form.add_prefix("revision")] = profile.revision
                    form.data = data
                    messages.warning(
                        request,
                        "Черновик сохранён: верно заполненное сохранено, поля с ошибками "
                        "отмечены ниже и не сохранены. Исправьте их, чтобы отправить профиль.",
                    )
    return render(request, "schools/risk_profile_form.html", {"form": form, "school": school})


def risk_profile_create(request, school_pk):
    school = visible_or_404(Organization.objects.schools(), request.user, pk=school_pk)
    require(Organization.objects.data_editable_by(request.user), school)
    draft = RiskProfile.objects.editable_by(request.user).drafts().filter(school=school).first()
    if draft is not None:
        # One draft per school: a new profile continues the one already begun.
        messages.info(request, "У школы есть неотправленный черновик профиля: продолжите его.")
        return redirect("schools:risk_profile_edit", pk=draft.pk)
    form = RiskProfileForm(request.POST or None, school=school)
    return _profile_form_page(request, form, school)


def risk_profile_edit(request, pk):
    profile = visible_or_404(RiskProfile.objects.select_related("school"), request.user, pk=pk)
    require(RiskProfile.objects.editable_by(request.user), profile)
    if request.method != "POST" and profile.is_draft:
        form = RiskProfileForm.of_draft(profile)
    else:
        form = RiskProfileForm(request.POST or None, instance=profile, school=profile.school)
    return _profile_form_page(request, form, profile.school)


def risk_profile_compare(request, school_pk):
    """Two profiles of the school side by side: which factors went up and which went down."""
    school = visible_or_404(Organization.objects.schools(), request.user, pk=school_pk)
    profiles = _profiles(request.user, school)
    listed = list(profiles)
    form = RiskCompareForm(request.GET or None, profiles=profiles)
    older = newer = None
    if form.is_bound and form.is_valid():
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        if older.assessed_on > newer.assessed_on:
            older, newer = newer, older
        by_pk = {p.pk: p for p in listed}
        older, newer = by_pk[older.pk], by_pk[newer.pk]
    elif not form.is_bound and len(listed) >= 2:
        newer, older = listed[0], listed[1]
        form = RiskCompareForm(initial={"older": older, "newer": newer}, profiles=profiles)
    rows = newer.compare_with(older, RiskFactor.objects.all()) if newer else []
    return render(
        request,
        "schools/risk_profile_compare.html",
        {
            "school": school,
            "form": form,
            "older": older,
            "newer": newer,
            "rows": rows,
            "went_up": sum(1 for r in rows if r["change"] == "up"),
            "went_down": sum(1 for r in rows if r["change"] == "down"),
            "profiles": listed,
        },
    )
