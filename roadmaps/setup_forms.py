"""Forms of the roadmap set-up: a roadmap, its items with deadlines parsed as typed, and the
roadmaps of all supported schools at once."""

from django import forms
from django.db.models import Q
from django.urls import reverse

from core.formtools import ConstraintFieldErrorsMixin
from core.pickers import use_picker
from core.revisions import RevisionFormMixin
from core.text import shorten
from schools.models import Organization

from .models import Roadmap, RoadmapItem
from .schedule import parse_schedule

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def program_organizations(program, user, roadmap=None):
    """Organizations that may be named in a program's roadmap: its participants (for a school's
    or a pair's roadmap, that school or pair only — a national program has thousands), its owner
    and operator, and the authorities and centres the user coordinates."""
    if roadmap is not None and roadmap.level == Roadmap.Level.SCHOOL:
        taking_part = Q(pk=roadmap.organization_id)
    elif roadmap is not None and roadmap.level == Roadmap.Level.PAIR:
        taking_part = Q(pk__in=[roadmap.pair.curator_school_id, roadmap.pair.supported_school_id])
    else:
        taking_part = Q(pk__in=program.organizations_taking_part().values("pk"))
    return Organization.objects.filter(
        taking_part
        | Q(pk__in=[program.owner_id, program.operator_id or 0])
        | Q(
            pk__in=Organization.objects.editable_by(user)
            .filter(kind__in=Organization.TERRITORIAL_KINDS)
            .values("pk")
        )
    )


class RoadmapForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    """A new roadmap of the program; its school and pair are picked by a search (`search_fields`:
    the looked-up fields of each), since a national program has thousands of both."""

    search_fields = {
        "organization": ("short_name", "name"),
        "pair": ("curator_school__short_name", "supported_school__short_name"),
    }
    constraint_fields = {
        "roadmap_school_has_organization": "organization",
        "roadmap_pair_has_pair": "pair",
    }

    class Meta:
        model = Roadmap
        fields = ["title", "level", "organization", "pair"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["organization"].queryset = program_organizations(program, user)
        self.fields["pair"].queryset = program.pairs.select_related(
            "curator_school", "supported_school"
        )
        search_url = reverse("roadmaps:setup_search", args=[program.pk])
        for name in self.search_fields:
            use_picker(self.fields[name], search_url)
        self.fields["organization"].help_text = "Для дорожной карты школы или муниципалитета"
        self.fields["pair"].help_text = "Для дорожной карты пары «куратор — школа»"

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level == Roadmap.Level.PAIR and data.get("organization"):
            self.add_error("organization", "У дорожной карты пары школа задаётся парой.")
        if level != Roadmap.Level.PAIR and data.get("pair"):
            self.add_error("pair", "Пара указывается только у дорожной карты пары.")
        return data


class SchoolRoadmapsForm(forms.Form):
    """Give every supported school of the program its own roadmap, optionally with the items
    of an existing roadmap as the starting plan (picked by a search of titles)."""

    search_fields = {"copy_from": ("title", "organization__short_name")}

    title = forms.CharField(
        label="Название",
        initial="Дорожная карта школы",
        max_length=900,
        help_text="К названию добавится краткое название школы",
    )
    copy_from = forms.ModelChoiceField(
        label="Скопировать пункты из",
        queryset=Roadmap.objects.none(),
        required=False,
        empty_label="— без пунктов —",
    )

    def __init__(self, *args, roadmaps, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = roadmaps
        use_picker(self.fields["copy_from"], search_url)


class RoadmapItemForm(RevisionFormMixin, forms.ModelForm):
    """An item. Its dates come from the deadline wording (`parse_schedule`, shown live beside
    the field); «даты вручную» keeps the dates typed instead. Carries the item's revision: a
    save over someone else's newer change is refused (`core.revisions`)."""

    manual_dates = forms.BooleanField(
        label="Даты вручную",
        required=False,
        help_text="Отметьте, если даты не следуют из формулировки срока",
    )

    class Meta:
        model = RoadmapItem
        fields = [
            "module",
            "number",
            "title",
            "schedule_text",
            "manual_dates",
            "starts_on",
            "due_on",
            "responsible",
            "responsible_note",
            "expected_result",
            "target",
            "risk_factors",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "responsible_note": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE_WIDGET,
            "due_on": DATE_WIDGET,
            "responsible": forms.SelectMultiple(attrs={"size": 6}),
            "risk_factors": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, roadmap, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.roadmap = roadmap
        program = self.program = roadmap.program
        self.fields["module"].queryset = program.modules.all()
        chosen = (
            list(self.instance.responsible.values_list("pk", flat=True))
            if (self.instance.pk)
            else []
        )
        self.fields["responsible"].queryset = program_organizations(
            program, user, roadmap
        ) | Organization.objects.filter(pk__in=chosen)
        self.fields["target"].queryset = (
            self.fields["target"]
            .queryset.filter(indicator__program=program)
            .select_related("indicator", "point")
        )
        self.fields["target"].label_from_instance = _target_label
        self.fields["schedule_text"].widget.attrs.update(
            {
                "hx-get": _preview_url(program),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{self.add_prefix('schedule')}-preview",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        )
        self.preview_id = f"{self.add_prefix('schedule')}-preview"
        if self.instance.pk and not self.is_bound:
            parsed = parse_schedule(
                self.instance.schedule_text, year=program.year, period=program.period
            )
            self.initial["manual_dates"] = (parsed.starts_on, parsed.due_on) != (
                self.instance.starts_on,
                self.instance.due_on,
            )

    @property
    def schedule(self):
        """The dates of the wording now in the field, for the preview drawn with the page."""
        return parse_schedule(
            self["schedule_text"].value() or "", year=self.program.year, period=self.program.period
        )

    def clean(self):
        data = super().clean()
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if data.get("manual_dates"):
            if not starts_on and not due_on:
                self.add_error("due_on", "Укажите срок или снимите отметку «даты вручную».")
        else:
            schedule = parse_schedule(
                data.get("schedule_text") or "", year=self.program.year, period=self.program.period
            )
            data["starts_on"], data["due_on"] = schedule.starts_on, schedule.due_on
            self.instance.recurring = schedule.recurring
            starts_on, due_on = schedule.starts_on, schedule.due_on
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", "Срок мероприятия не может быть раньше его начала.")
        return data

    def save(self, commit=True):
        item = super().save(commit=False)
        if item.pk is None:
            last = item.roadmap.items.order_by("-order").values_list("order", flat=True).first()
            item.order = 0 if last is None else last + 1
        if commit:
            item.save()
            self.save_m2m()
            # An organization taken off (or named) changes what the item's state follows from.
            before = (item.status, item.completed_on)
            item.derive_status()
            if (item.status, item.completed_on) != before:
                item.save()
        return item


def _target_label(target):
    point = target.point.title if target.point_id else "порог программы"
    return f"{target.indicator.code}. {shorten(target.indicator.title, 60)} — {point}: {target}"


def _preview_url(program):
    return f"{reverse('roadmaps:schedule_preview')}?program={program.pk}"
