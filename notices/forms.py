from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.pickers import use_picker
from programs.models import CuratorPair
from roadmaps.models import RoadmapItem
from schools.models import Membership, Organization

from .models import Consultation, EmailOptOut, Kind


class EmailChoicesForm(forms.Form):
    """One checkbox per kind of notice: ticked — it also comes by e-mail."""

    def __init__(self, *args, muted, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Kind.choices:
            self.fields[value] = forms.BooleanField(
                label=label, required=False, initial=value not in muted
            )

    def save(self, user):
        off = [kind for kind in Kind.values if not self.cleaned_data.get(kind)]
        EmailOptOut.objects.filter(user=user).exclude(kind__in=off).delete()
        EmailOptOut.objects.bulk_create(
            [EmailOptOut(user=user, kind=kind) for kind in off], ignore_conflicts=True
        )


class InvitationForm(forms.Form):
    """A person to invite: name, e-mail, where they work and with what role, and optionally
    the pair whose curator they become."""

    last_name = forms.CharField(label="Фамилия", max_length=150)
    first_name = forms.CharField(label="Имя и отчество", max_length=150)
    email = forms.EmailField(
        label="Электронная почта",
        error_messages={"invalid": "Введите адрес электронной почты, например ivanova@school.ru."},
    )
    organization = forms.ModelChoiceField(
        label="Организация",
        queryset=None,
        error_messages={"invalid_choice": "Эта организация не на вашей территории."},
    )
    role = forms.ChoiceField(label="Роль", choices=Membership.Role.choices, initial="staff")
    pair = forms.ModelChoiceField(
        label="Куратор пары",
        queryset=None,
        required=False,
        help_text="Если человек назначается куратором пары: организация — одна из школ пары",
        error_messages={"invalid_choice": "Эта пара не из ваших программ."},
    )

    # A region's coordinator may invite people of thousands of organizations and pairs: both
    # are picked by a search (core.pickers), answered by `notices:invitation_search`.
    search_fields = {
        "organization": ("short_name", "name"),
        "pair": (
            "curator_school__short_name",
            "supported_school__short_name",
            "program__short_title",
        ),
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.editable_by(user).order_by("short_name", "name")
        self.fields["organization"].queryset = organizations
        self.fields["pair"].queryset = (
            CuratorPair.objects.editable_by(user)
            .filter(supported_school__in=organizations)
            .select_related("program", "curator_school", "supported_school")
            .order_by("program__short_title", "supported_school__short_name")
        )
        self.fields["pair"].label_from_instance = lambda pair: f"{pair.program}: {pair}"
        search_url = reverse("notices:invitation_search")
        for name in self.search_fields:
            use_picker(self.fields[name], search_url)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if users.filter(email__iexact=email).exists() or users.filter(username=email).exists():
            raise forms.ValidationError("Пользователь с таким адресом уже есть на портале.")
        return email

    def clean(self):
        cleaned = super().clean()
        pair, organization = cleaned.get("pair"), cleaned.get("organization")
        if (
            pair
            and organization
            and organization.pk
            not in (
                pair.curator_school_id,
                pair.supported_school_id,
            )
        ):
            self.add_error(
                "organization", "Куратора назначает одна из двух школ пары: выберите её."
            )
        return cleaned


class QuestionForm(forms.ModelForm):
    """A question to the consultation line: a topic or a roadmap item, and the text."""

    class Meta:
        model = Consultation
        fields = ["organization", "topic", "item", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "topic": {"required": "Укажите тему вопроса."},
            "question": {"required": "Напишите вопрос."},
        }

    def __init__(self, *args, program, user, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].required = True
        self.fields["organization"].empty_label = None
        self.fields["item"].queryset = RoadmapItem.objects.visible_to(user).filter(
            roadmap__program=program
        )
        self.fields["item"].required = False
        self.fields["item"].label_from_instance = lambda item: str(item)[:120]


class AnswerForm(forms.ModelForm):
    """The answer, and whether it goes to the program's FAQ."""

    class Meta:
        model = Consultation
        fields = ["answer", "is_faq"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.fields["answer"].error_messages["required"] = "Напишите ответ."
