"""Forms of events: the event itself (times in the program region's time zone — the view
activates it around the form) and the attendance marked after it."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import timezones
from core.changes import data_changed
from core.formtools import ConstraintFieldErrorsMixin
from core.pickers import use_picker
from core.text import shorten
from schools.models import Organization

from .models import Attendance, Event, RoadmapItem
from .setup_forms import program_organizations

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class EventForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    """An event of the program. The organizer, the roadmap item and the invited organizations
    are picked by a search (`search_fields`); the supported schools, thousands in a national
    program, are invited by one box rather than one box each."""

    constraint_fields = {"event_ends_after_start": "ends_at"}
    search_fields = {
        "organizer": ("short_name", "name"),
        "item": ("number", "title", "roadmap__title"),
        "invited": ("short_name", "name"),
    }

    link = forms.URLField(label="Ссылка", required=False, assume_scheme="https", max_length=200)
    invite_supported = forms.BooleanField(
        label="Пригласить все поддерживаемые школы программы", required=False
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "level",
            "is_exchange",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "organizer",
            "item",
            "description",
            "invited",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        # Most events are seminars: a new one starts as one, and the list offers no blank to
        # leave the form on.
        self.fields["kind"].choices = Event.Kind.choices
        if self.instance.pk is None:
            self.fields["kind"].initial = Event.Kind.SEMINAR
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_FORMATS
            self.fields[
                name
            ].help_text = (
                f"Время региона программы ({timezones.clock_label(program.timezone_name)})"
            )
        organizations = program_organizations(program, user)
        self.fields["organizer"].queryset = organizations
        self.fields["invited"].queryset = Organization.objects.filter(
            participations__program=program
        ).distinct()
        self.fields["invited"].required = False
        # Items of roadmaps the user sees (a national program's coordinator does not see every
        # school's roadmap), and the one already chosen.
        self.fields["item"].queryset = RoadmapItem.objects.filter(
            Q(pk__in=RoadmapItem.objects.visible_to(user).filter(roadmap__program=program))
            | Q(pk=self.instance.item_id or 0)
        ).select_related("roadmap")
        self.fields["item"].label_from_instance = lambda item: (
            f"{item.number} {shorten(item.title, 80)} ({shorten(item.roadmap.title, 40)})".strip()
        )
        self.fields["invited"].label = "Пригласить также"
        search_url = reverse("roadmaps:event_search", args=[program.pk])
        for name in self.search_fields:
            use_picker(self.fields[name], search_url)
        self.supported = program.supported_schools().values("pk")
        if not self.is_bound:
            if self.instance.pk:
                invited = self.instance.invited.all()
                everyone = (
                    not Organization.objects.filter(pk__in=self.supported)
                    .exclude(pk__in=invited.values("pk"))
                    .exists()
                )
                others = invited.exclude(pk__in=self.supported) if everyone else invited
            else:
                # By default every supported school of the program is invited.
                everyone, others = True, Organization.objects.none()
            self.initial["invite_supported"] = everyone
            self.initial["invited"] = list(others.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        if data.get("invite_supported") and "invited" in data:
            picked = data["invited"]
            data["invited"] = Organization.objects.filter(
                Q(pk__in=picked.values("pk")) | Q(pk__in=self.supported)
            )
        return data


class AttendanceRowForm(forms.Form):
    """One invited organization: was it there, and how many people came."""

    organization = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.BooleanField(label="Участвовала", required=False)
    people_count = forms.IntegerField(
        label="Участников, чел.",
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={"min_value": "Не меньше 1 участника."},
    )
    note = forms.CharField(label="Примечание", required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if (
            data.get("present")
            and not data.get("people_count")
            and not self.has_error("people_count")
        ):
            self.add_error("people_count", "Укажите, сколько человек участвовало.")
        return data


class BaseAttendanceFormSet(forms.BaseFormSet):
    def __init__(self, *args, event, organizations, **kwargs):
        self.event = event
        self.organizations = {o.pk: o for o in organizations}
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            pk = form.cleaned_data.get("organization")
            if pk not in self.organizations or pk in seen:
                raise forms.ValidationError("Список приглашённых изменился: обновите страницу.")
            seen.add(pk)
        if self.event.starts_at > timezone.now() and any(
            form.cleaned_data.get("present") for form in self.forms
        ):
            raise forms.ValidationError("Участие отмечается после начала события.")

    def save(self):
        """Replace the event's attendance by what the form says."""
        present = {
            form.cleaned_data["organization"]: form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("present")
        }
        listed = list(self.organizations)
        self.event.attendances.filter(organization__in=listed).exclude(
            organization__in=list(present)
        ).delete()
        existing = {a.organization_id: a for a in self.event.attendances.all()}
        new, changed = [], []
        for pk, data in present.items():
            attendance = existing.get(pk)
            if attendance is None:
                new.append(
                    Attendance(
                        event=self.event,
                        organization_id=pk,
                        people_count=data["people_count"],
                        note=data["note"],
                    )
                )
            elif (attendance.people_count, attendance.note) != (data["people_count"], data["note"]):
                attendance.people_count, attendance.note = data["people_count"], data["note"]
                changed.append(attendance)
        Attendance.objects.bulk_create(new)
        Attendance.objects.bulk_update(changed, ["people_count", "note"])
        data_changed(self.event.program_id)
        return len(present)


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=BaseAttendanceFormSet, extra=0)


def attendance_organizations(event):
    """Who can be marked: the invited organizations and any already marked."""
    return (
        Organization.objects.filter(Q(invitations=event) | Q(attendances__event=event))
        .distinct()
        .select_related("municipality")
        .order_by("short_name")
    )
