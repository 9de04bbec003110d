"""Forms of the schools app: a school's risk profile, a level for each factor of the
catalogue, and the choice of two profiles to compare."""

from django import forms
from django.utils import timezone

from core.revisions import RevisionFormMixin

from .models import RiskFactor, RiskLevel, RiskProfile


class RiskProfileForm(RevisionFormMixin, forms.ModelForm):
    """The date and source of the assessment and a level for every factor of the catalogue.

    Submitting needs all of it valid. A draft keeps what is valid (`draft_levels`, and the
    date and source through the model form) and shows the rest with its errors."""

    class Meta:
        model = RiskProfile
        fields = ["assessed_on", "source"]
        widgets = {"assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.instance.school = school
        # A draft may lack the date (the model allows it); a submitted profile never does.
        self.fields["assessed_on"].required = True
        self.factors = list(RiskFactor.objects.all())
        current = {}
        if self.instance.pk:
            current = {lv.factor_id: lv.level for lv in self.instance.levels.all()}
        for factor in self.factors:
            self.fields[self.level_name(factor)] = forms.ChoiceField(
                label=str(factor),
                choices=RiskLevel.Level.choices,
                widget=forms.RadioSelect,
                initial=current.get(factor.pk),
                error_messages={"required": "Укажите уровень риска."},
            )

    @staticmethod
    def level_name(factor):
        return f"level_{factor.pk}"

    def level_rows(self):
        """(factor, bound field) for the template, in the catalogue's order."""
        return [(factor, self[self.level_name(factor)]) for factor in self.factors]

    def levels(self):
        return {factor: self.cleaned_data[self.level_name(factor)] for factor in self.factors}

    def draft_levels(self):
        """The levels that passed validation: those a draft keeps (run `is_valid` first)."""
        return {
            factor: self.cleaned_data[self.level_name(factor)]
            for factor in self.factors
            if self.level_name(factor) in self.cleaned_data
        }

    @property
    def may_be_draft(self):
        """A new profile or a draft may be saved as a draft; a submitted one is only changed
        whole, so that it never drops out of the figures it is in."""
        return self.instance.pk is None or self.instance.is_draft

    @classmethod
    def of_draft(cls, profile):
        """The form bound to what the draft holds, so that reopening it shows at once what is
        still missing, each beside its field."""
        data = {"revision": profile.revision, "source": profile.source}
        if profile.assessed_on:
            data["assessed_on"] = profile.assessed_on.isoformat()
        for level in profile.levels.all():
            data[cls.level_name(level.factor)] = level.level
        form = cls(data, instance=profile, school=profile.school)
        form.is_valid()
        return form

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Дата оценки не может быть в будущем.")
        clash = RiskProfile.objects.filter(school=self.school, assessed_on=day)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("У школы уже есть профиль на эту дату.")
        return day


class RiskCompareForm(forms.Form):
    """Two profiles of one school, older and newer."""

    older = forms.ModelChoiceField(label="Раньше", queryset=RiskProfile.objects.none())
    newer = forms.ModelChoiceField(label="Позже", queryset=RiskProfile.objects.none())

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("older", "newer"):
            self.fields[name].queryset = profiles
            self.fields[name].label_from_instance = lambda p: f"{p.assessed_on:%d.%m.%Y}"
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
