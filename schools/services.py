"""Saving a risk profile writes the profile and a level per factor."""

from django.db import IntegrityError, transaction

from core.revisions import claim

from .models import RiskLevel, RiskProfile


def save_risk_profile(form, user, *, draft=False):
    """Save the profile of a `RiskProfileForm` with its levels, and return it (None when a
    clash with a row saved meanwhile became a form error).

    Submitting (the default) needs a valid form and makes the profile count. A draft
    (`draft=True`, for a new profile or a draft: `form.may_be_draft`) keeps whatever of the form
    is valid, even if the rest is not, and leaves the form its errors to show; levels not
    validly given keep what the draft held. Refused with `StaleRevision` when someone saved the
    profile since the form was built."""
    if draft and not form.may_be_draft:
        raise ValueError("A submitted profile is not taken back to a draft.")
    if not draft and not form.is_valid():
        raise ValueError("Only a valid profile is submitted.")
    form.is_valid()
    profile = form.instance
    with transaction.atomic():
        if profile.pk:
            claim(profile, form.seen_revision)
        else:
            profile.created_by = user
        profile.status = RiskProfile.Status.DRAFT if draft else RiskProfile.Status.SUBMITTED
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            _clash(form, profile)
            return None
        existing = {level.factor_id: level for level in profile.levels.all()}
        levels = form.draft_levels() if draft else form.levels()
        for factor, value in levels.items():
            level = existing.get(factor.pk)
            if level is None:
                RiskLevel.objects.create(profile=profile, factor=factor, level=value)
            elif level.level != value:
                level.level = value
                level.save(update_fields=["level"])
    return profile


def _clash(form, profile):
    """Say which row saved meanwhile the profile clashed with: another draft of the school (two
    tabs), or another profile on the same date."""
    drafts = RiskProfile.objects.drafts().filter(school=profile.school_id).exclude(pk=profile.pk)
    if profile.is_draft and drafts.exists():
        form.add_error(
            None,
            "У школы уже есть черновик рискового профиля: откройте его со страницы школы "
            "и продолжите там.",
        )
    else:
        form.add_error("assessed_on", "У школы уже есть профиль на эту дату.")
