"""Forms with which coordinators set a program up: its passport, tasks, stages and modules,
participants, curator pairs with their curators and agreements.

Every choice a form offers comes from the access rules (`Organization.objects.editable_by`,
`Region.objects.covered_by`…), so a posted id outside the user's territory is refused like any
other wrong value, with a Russian message beside the field.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import timezone

from core.formtools import SEARCH_MAX_LENGTH, ConstraintFieldErrorsMixin
from core.pickers import use_picker
from core.search import matches
from core.uploads import ACCEPT, FORMATS_TEXT, validate_upload
from schools.models import Municipality, Organization, Region, SchoolStatus

from .models import Agreement, Curator, CuratorPair, Module, Participant, Program, Stage, Task

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def program_schools(program, user):
    """Schools a coordinator may bring into the program: those of the program's territory that
    the user may change (`Organization.objects.editable_by`)."""
    schools = Organization.objects.editable_by(user).schools()
    if program.municipality_id:
        return schools.filter(municipality_id=program.municipality_id)
    if program.region_id:
        return schools.filter(region_id=program.region_id)
    return schools


# --- Passport --------------------------------------------------------------------------------


def owner_choices(user):
    """Authorities that may own a program the user sets up: those in the territory they
    coordinate. Who has none may not create programs."""
    return Organization.objects.editable_by(user).filter(kind=Organization.Kind.AUTHORITY)


class ProgramForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    """The program's passport. Owner, region and municipality are limited to what the user
    coordinates, so the saved program is always one they may set up."""

    constraint_fields = {
        "program_ends_after_start": "ends_on",
        "program_municipal_has_municipality": "municipality",
        "program_has_region": "region",
    }

    class Meta:
        model = Program
        fields = [
            "title",
            "short_title",
            "level",
            "owner",
            "operator",
            "region",
            "municipality",
            "starts_on",
            "ends_on",
            "order_number",
            "order_date",
            "order_title",
            "goal",
            "description",
            "status",
            "is_public",
            "entry_window_days",
        ]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "order_date": DATE_WIDGET,
            "title": forms.Textarea(attrs={"rows": 2}),
            "order_title": forms.Textarea(attrs={"rows": 2}),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        self.fields["owner"].queryset = _with_current(
            owner_choices(user), current and current.owner_id
        )
        self.fields["operator"].queryset = _with_current(
            Organization.objects.visible_to(user).filter(kind=Organization.Kind.METHODICAL_CENTER),
            current and current.operator_id,
        )
        self.fields["region"].queryset = _with_current(
            Region.objects.covered_by(user, coordinator=True), current and current.region_id
        )
        self.fields["municipality"].queryset = _with_current(
            Municipality.objects.covered_by(user, coordinator=True).select_related("region"),
            current and current.municipality_id,
        )
        self.fields["owner"].empty_label = "— выберите орган управления —"
        # Left empty, the window keeps its value (the default for a new program).
        self.fields["entry_window_days"].required = False

    def clean_entry_window_days(self):
        days = self.cleaned_data.get("entry_window_days")
        if days is None:
            return self.instance.entry_window_days
        return days

    def clean(self):
        data = super().clean()
        municipality = data.get("municipality")
        if municipality and not data.get("region"):
            data["region"] = municipality.region
        if data.get("level") in (Program.Level.REGIONAL, Program.Level.FEDERAL) and municipality:
            self.add_error(
                "municipality", "Муниципалитет указывается только у муниципальной программы."
            )
        return data


def _with_current(queryset, current_id):
    """Keep the value already saved selectable even if it lies outside today's choices."""
    if current_id:
        return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current_id))
    return queryset


# --- Tasks, stages, modules ------------------------------------------------------------------


# Tasks and modules are put in order by dragging their rows (or with ↑ ↓), not by typing a
# position: a form sent after a drag would otherwise undo it.
class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["number", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["order", "title", "starts_on", "ends_on", "description"]
        widgets = {
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "Окончание этапа не может быть раньше начала.")
        return data


class ModuleForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    constraint_fields = {"module_unique_title": "title"}

    class Meta:
        model = Module
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PartFormSet(forms.BaseInlineFormSet):
    """Rows of a program's part; two rows with the same title in one post are refused too. A
    new row of a part without a position field goes to the end of the list."""

    unique_title_message = None

    def save_new(self, form, commit=True):
        if "order" not in form.fields:
            last = self.model.objects.filter(program=self.instance).aggregate(Max("order"))
            form.instance.order = (last["order__max"] or 0) + 1
        return super().save_new(form, commit=commit)

    def clean(self):
        super().clean()
        if not self.unique_title_message:
            return
        seen = set()
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms:
                continue
            title = (form.cleaned_data.get("title") or "").strip().casefold()
            if title and title in seen:
                form.add_error("title", self.unique_title_message)
            seen.add(title)


class ModuleFormSet(PartFormSet):
    unique_title_message = "Модуль с таким названием уже есть в списке."


PART_FORMSETS = {
    "tasks": (
        "Задачи",
        inlineformset_factory(
            Program, Task, form=TaskForm, formset=PartFormSet, extra=2, can_delete=True
        ),
    ),
    "stages": (
        "Этапы",
        inlineformset_factory(Program, Stage, form=StageForm, extra=1, can_delete=True),
    ),
    "modules": (
        "Модули",
        inlineformset_factory(
            Program, Module, form=ModuleForm, formset=ModuleFormSet, extra=2, can_delete=True
        ),
    ),
}


# --- Participants ----------------------------------------------------------------------------


class CandidateFilterForm(forms.Form):
    """Which schools of the territory to list: by their status categories of a year."""

    year = forms.IntegerField(label="Год идентификации", min_value=2000, max_value=2100)
    categories = forms.MultipleChoiceField(
        label="Категории",
        choices=SchoolStatus.Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.ModelChoiceField(
        label="Муниципалитет", queryset=Municipality.objects.none(), required=False
    )
    q = forms.CharField(label="Название или ИНН", required=False, max_length=SEARCH_MAX_LENGTH)

    # A federal program spans 840 municipalities: the municipality is picked by a search
    # (core.pickers), answered by `programs:setup_participants_search`.
    search_fields = {"municipality": ("name", "region__name")}

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.covered_by(user).select_related("region")
        if program.municipality_id:
            municipalities = municipalities.filter(pk=program.municipality_id)
        elif program.region_id:
            municipalities = municipalities.filter(region_id=program.region_id)
        self.fields["municipality"].queryset = municipalities.order_by("name", "pk")
        # Names repeat between regions («Центральный район»): the region tells them apart.
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.region})"
        use_picker(
            self.fields["municipality"],
            reverse("programs:setup_participants_search", args=[program.pk]),
        )

    def filter(self, schools):
        if not self.is_valid():
            return schools.none()
        data = self.cleaned_data
        if data["categories"]:
            schools = schools.filter(
                pk__in=SchoolStatus.objects.filter(
                    year=data["year"], category__in=data["categories"]
                ).values("school")
            )
        if data["municipality"]:
            schools = schools.filter(municipality=data["municipality"])
        if data["q"]:
            q = data["q"].strip()
            schools = schools.filter(matches(q, ("short_name", "name")) | Q(inn=q))
        return schools


class AddParticipantsForm(forms.Form):
    role = forms.ChoiceField(
        label="Роль",
        choices=Participant.Role.choices,
        error_messages={"required": "Выберите роль участников."},
    )
    organizations = forms.ModelMultipleChoiceField(
        label="Школы",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Школа вне вашей территории или не найдена фильтром.",
            "invalid_pk_value": "Неверный выбор школы.",
        },
    )
    add_all = forms.BooleanField(label="Добавить все найденные школы", required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = candidates

    def clean(self):
        data = super().clean()
        if (
            not data.get("add_all")
            and not data.get("organizations")
            and not self.has_error("organizations")
        ):
            self.add_error(
                "organizations", "Отметьте хотя бы одну школу или добавьте все найденные."
            )
        return data


# --- Pairs -----------------------------------------------------------------------------------


class PairForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    """A pair «школа-куратор → школа адресной поддержки»; saving it also makes both schools
    participants of the program in their roles (`CuratorPair.save`). Both schools are picked by a
    search (`search_fields`): a national program has thousands."""

    search_fields = {
        "curator_school": ("short_name", "name"),
        "supported_school": ("short_name", "name"),
    }

    constraint_fields = {
        "pair_one_curator_per_supported_school": "supported_school",
        "pair_school_not_own_curator": "supported_school",
    }

    class Meta:
        model = CuratorPair
        fields = ["number", "curator_school", "supported_school"]

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        schools = program_schools(program, user)
        participants = Organization.objects.filter(participations__program=program).schools()
        choices = Organization.objects.filter(
            Q(pk__in=schools.values("pk")) | Q(pk__in=participants.values("pk"))
        ).select_related("municipality")
        search_url = reverse("programs:setup_pairs_search", args=[program.pk])
        for name in ("curator_school", "supported_school"):
            self.fields[name].queryset = choices
            use_picker(self.fields[name], search_url)
            self.fields[name].error_messages["invalid_choice"] = (
                "Выберите школу из списка: эта школа вне вашей территории."
            )

    def clean(self):
        data = super().clean()
        curator, supported = data.get("curator_school"), data.get("supported_school")
        if curator and supported and curator == supported:
            self.add_error("supported_school", "Школа не может курировать сама себя.")
        return data


class CuratorForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    constraint_fields = {"curator_unique_user_in_pair": "user"}

    class Meta:
        model = Curator
        fields = ["organization", "user", "full_name", "position", "appointed_on"]
        widgets = {"appointed_on": DATE_WIDGET}

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pair = pair
        sides = [pair.curator_school_id, pair.supported_school_id]
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=sides)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organization__in=sides, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["user"].label_from_instance = _person
        self.fields["user"].required = False
        self.fields["user"].help_text = (
            "Сотрудник одной из школ пары — получит доступ куратора. Значения показателей "
            "школы утверждает только куратор от школы-куратора."
        )

    def clean(self):
        data = super().clean()
        user, organization = data.get("user"), data.get("organization")
        if not user and not data.get("full_name"):
            self.add_error("full_name", "Укажите пользователя или ФИО куратора.")
        if (
            user
            and organization
            and not user.memberships.filter(organization=organization).exists()
        ):
            self.add_error("user", "Этот пользователь не работает в выбранной школе.")
        return data


def _person(user):
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["number", "signed_on", "file", "note"]
        widgets = {"signed_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same check as every upload of the portal: type, size and content.
        self.fields["file"].validators.append(validate_upload)
        self.fields["file"].help_text = f"{FORMATS_TEXT}; не больше {settings.MAX_UPLOAD_MB} МБ."
        self.fields["file"].widget.attrs["accept"] = ACCEPT

    def clean_signed_on(self):
        signed_on = self.cleaned_data.get("signed_on")
        if signed_on and signed_on > timezone.localdate():
            raise ValidationError("Дата подписания не может быть в будущем.")
        return signed_on


class PairPartFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if issubclass(self.form, CuratorForm):
            kwargs["pair"] = self.instance
        return kwargs


CuratorFormSet = inlineformset_factory(
    CuratorPair, Curator, form=CuratorForm, formset=PairPartFormSet, extra=1, can_delete=True
)
AgreementFormSet = inlineformset_factory(
    CuratorPair, Agreement, form=AgreementForm, formset=PairPartFormSet, extra=1, can_delete=True
)


class PartLinesForm(forms.Form):
    """Several tasks or modules at once, pasted one per line (as they stand in the order)."""

    lines = forms.CharField(
        label="Добавить списком, по одной на строку",
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        error_messages={"required": "Вставьте хотя бы одну строку."},
    )

    def __init__(self, *args, part_model, program, **kwargs):
        self.part_model, self.program = part_model, program
        super().__init__(*args, **kwargs)

    def clean_lines(self):
        lines = [line.strip() for line in self.cleaned_data["lines"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError("Вставьте хотя бы одну строку.")
        return lines

    def save(self):
        """Adds the parts, or records why not beside the field (nothing is added then)."""
        try:
            return self.part_model.append_lines(self.program, self.cleaned_data["lines"])
        except ValidationError as refusal:
            self.add_error("lines", refusal)
            return None
