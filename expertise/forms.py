"""Forms of expertise and of the bank of good practice."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator
from django.forms import inlineformset_factory

from core.uploads import MultipleUploadField
from programs.models import CuratorPair, Program
from schools.models import Membership, Organization, RiskFactor

from .models import (
    Adoption,
    Assignment,
    Contest,
    Criterion,
    ExpertiseRound,
    PassThreshold,
    Practice,
    Subject,
    own_organizations,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.get_username()
        places = ", ".join(m.organization.short_name for m in user.memberships.all())
        return f"{name} ({places})" if places else name


class AssignForm(forms.Form):
    """A coordinator gives a reviewer a sheet of the document's current version."""

    role = forms.ChoiceField(label="Кто проверяет", choices=Assignment.Role.choices)
    round = forms.ModelChoiceField(label="Тур", queryset=ExpertiseRound.objects.none())
    organization = forms.ModelChoiceField(
        label="Школа-эксперт (для взаимоэкспертизы)",
        queryset=Organization.objects.none(),
        required=False,
    )
    reviewer = ReviewerChoiceField(label="Эксперт", queryset=get_user_model().objects.none())
    due_on = forms.DateField(
        label="Срок", required=False, widget=DATE, help_text="Пусто — срок тура"
    )

    def __init__(self, *args, document, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        own = own_organizations(document.organization)
        visible = Organization.objects.visible_to(user)
        self.fields["round"].queryset = ExpertiseRound.objects.filter(program=document.program)
        self.fields["round"].empty_label = None
        self.fields["organization"].queryset = (
            visible.schools()
            .filter(participations__program=document.program)
            .exclude(pk__in=own)
            .distinct()
        )
        self.fields["reviewer"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__organization__in=visible)
            .exclude(memberships__organization__in=own)
            .prefetch_related("memberships__organization")
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["reviewer"].error_messages["invalid_choice"] = (
            "Выберите эксперта из списка: сотрудники школы не проверяют её документы."
        )

    def clean(self):
        data = super().clean()
        role, reviewer = data.get("role"), data.get("reviewer")
        if not (role and reviewer):
            return data
        school = self.document.organization
        memberships = Membership.objects.filter(user=reviewer)
        if role == Assignment.Role.CURATOR:
            pair = CuratorPair.objects.filter(
                program=self.document.program, supported_school=school
            ).first()
            if pair is None:
                self.add_error("role", "У школы нет пары в этой программе.")
                return data
            if not (
                memberships.filter(organization=pair.curator_school).exists()
                or pair.curators.filter(user=reviewer).exists()
            ):
                self.add_error("reviewer", f"Эксперт не работает в «{pair.curator_school}».")
            data["organization"] = pair.curator_school
        elif role == Assignment.Role.MUTUAL:
            organization = data.get("organization")
            if organization is None:
                self.add_error("organization", "Укажите школу, которая проводит взаимоэкспертизу.")
            elif not memberships.filter(organization=organization).exists():
                self.add_error("reviewer", f"Эксперт не работает в «{organization}».")
        else:
            first = memberships.select_related("organization").first()
            data["organization"] = first.organization if first else None
        return data


class SheetForm(forms.Form):
    """A reviewer's sheet: a score and a remark for each criterion, the verdict, a comment."""

    verdict = forms.ChoiceField(
        label="Заключение",
        choices=[
            (Assignment.Verdict.PASSED, Assignment.Verdict.PASSED.label),
            (Assignment.Verdict.REVISION, Assignment.Verdict.REVISION.label),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = list(assignment.scores.select_related("criterion"))
        self.rows = []
        for score in self.scores:
            criterion = score.criterion
            points = forms.IntegerField(
                label=criterion.title,
                min_value=0,
                max_value=criterion.max_score,
                initial=score.score,
                help_text=f"от 0 до {criterion.max_score}",
                error_messages={
                    "required": "Поставьте балл по критерию.",
                    "max_value": f"Балл не может быть больше {criterion.max_score}.",
                    "min_value": "Балл не может быть отрицательным.",
                },
            )
            remark = forms.CharField(
                label="Замечание", required=False, max_length=1000, initial=score.remark
            )
            self.fields[f"score_{criterion.pk}"] = points
            self.fields[f"remark_{criterion.pk}"] = remark
            self.rows.append((self[f"score_{criterion.pk}"], self[f"remark_{criterion.pk}"]))
        if assignment.is_decided:
            self.initial.update(verdict=assignment.verdict, comment=assignment.comment)
        self.fields["comment"].error_messages["required"] = (
            "Напишите комментарий: школа увидит его вместе с заключением."
        )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == Assignment.Verdict.REVISION:
            remarks = [data.get(f"remark_{s.criterion_id}") for s in self.scores]
            if not any(remarks) and not data.get("comment"):
                self.add_error("comment", "Укажите, что нужно доработать.")
        return data

    def score_values(self):
        return {
            s.criterion_id: (
                self.cleaned_data[f"score_{s.criterion_id}"],
                self.cleaned_data.get(f"remark_{s.criterion_id}", ""),
            )
            for s in self.scores
        }


class RoundForm(forms.ModelForm):
    class Meta:
        model = ExpertiseRound
        fields = ["title", "due_on", "allow_reciprocal"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program


CriterionFormSet = inlineformset_factory(
    Program,
    Criterion,
    fields=["title", "max_score", "order"],
    extra=2,
    can_delete=True,
)


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = PassThreshold
        fields = ["kind", "share", "wording"]

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program


class PracticeForm(forms.ModelForm):
    """A practice card; its files are added with it and kept."""

    files = MultipleUploadField(label="Файлы", required=False)

    class Meta:
        model = Practice
        fields = [
            "title",
            "author_school",
            "program",
            "risk_factors",
            "subjects",
            "description",
            "is_public",
        ]
        widgets = {
            "risk_factors": forms.CheckboxSelectMultiple,
            "subjects": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = Organization.objects.data_editable_by(user).schools()
        self.fields["author_school"].queryset = schools
        self.fields["author_school"].error_messages["invalid_choice"] = (
            "Выберите школу, от имени которой вы можете публиковать практики."
        )
        self.fields["program"].queryset = Program.objects.visible_to(user)
        self.fields["risk_factors"].queryset = RiskFactor.objects.all()
        self.fields["subjects"].queryset = Subject.objects.all()


class AdoptionForm(forms.ModelForm):
    class Meta:
        model = Adoption
        fields = ["school", "adopted_on", "note"]
        widgets = {"adopted_on": DATE}

    def __init__(self, *args, practice, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.practice = practice
        self.fields["school"].queryset = (
            Organization.objects.data_editable_by(user)
            .schools()
            .exclude(pk=practice.author_school_id)
        )
        self.fields["school"].error_messages["invalid_choice"] = (
            "Отметить внедрение может школа или координатор её территории."
        )

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except forms.ValidationError as error:
            self.add_error("school", error.messages)


class ContestForm(forms.ModelForm):
    class Meta:
        model = Contest
        fields = ["title", "description", "submissions_until", "max_score", "jury"]
        widgets = {"submissions_until": DATE, "jury": forms.CheckboxSelectMultiple}

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        visible = Organization.objects.visible_to(user)
        self.fields["jury"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__organization__in=visible)
            .distinct()
            .order_by("last_name", "username")
        )


class SubmitPracticeForm(forms.Form):
    practice = forms.ModelChoiceField(label="Практика", queryset=Practice.objects.none())

    def __init__(self, *args, contest, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = Practice.objects.editable_by(user).exclude(
            submissions__contest=contest
        )


class JuryScoreForm(forms.Form):
    score = forms.IntegerField(label="Балл", min_value=0)
    comment = forms.CharField(label="Комментарий", required=False, max_length=1000)

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].widget.attrs["max"] = contest.max_score
        self.fields["score"].validators.append(
            MaxValueValidator(
                contest.max_score, message=f"Балл не может быть больше {contest.max_score}."
            )
        )


class PairingForm(forms.Form):
    """The supported school whose curators are suggested."""

    school = forms.ModelChoiceField(label="Школа адресной поддержки", queryset=None)

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = program.supported_schools().visible_to(user)
