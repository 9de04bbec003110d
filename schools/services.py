"""Saving a risk profile writes the profile and a level per factor."""

from django.db import IntegrityError, transaction

from core.revisions import claim

from .models import RiskLevel


def save_risk_profile(form, user):
    """Save the profile of a valid `RiskProfileForm` with its levels. Refused with
    `StaleRevision` when someone saved the profile since the form was built; an IntegrityError
    (another profile on the same date, saved meanwhile) becomes a field error."""
    profile = form.instance
    with transaction.atomic():
        if profile.pk:
            claim(profile, form.seen_revision)
        else:
            profile.created_by = user
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            form.add_error("assessed_on", "У школы уже есть профиль на эту дату.")
            return None
        existing = {level.factor_id: level for level in profile.levels.all()}
        for factor, value in form.levels().items():
            level = existing.get(factor.pk)
            if level is None:
                RiskLevel.objects.create(profile=profile, factor=factor, level=value)
            elif level.level != value:
                level.level = value
                level.save(update_fields=["level"])
    return profile
