"""Forms of roadmap pages: a progress report on an item, and the quick status change on the
roadmap list."""

from django import forms
from django.utils import timezone

from core.revisions import RevisionFormMixin
from core.uploads import MultipleUploadField

from .models import RoadmapItem


class ItemStatusForm(RevisionFormMixin, forms.Form):
    """The item's status, changed in place on the roadmap list."""

    status = forms.ChoiceField(label="Состояние", choices=RoadmapItem.Status.choices)


class ItemReportForm(RevisionFormMixin, forms.Form):
    """A progress report (отчёт об исполнении): the status it sets, what was done, evidence."""

    status = forms.ChoiceField(label="Состояние", choices=RoadmapItem.Status.choices)
    completed_on = forms.DateField(
        label="Дата выполнения",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Только для выполненного мероприятия; пусто — сегодня.",
    )
    text = forms.CharField(
        label="Что сделано",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Опишите, что сделано."},
    )
    files = MultipleUploadField(label="Подтверждающие документы", required=False)

    def clean_completed_on(self):
        day = self.cleaned_data.get("completed_on")
        # «Today» is the program region's date, as for the deadlines.
        item = self.revisioned
        today = item.roadmap.program.local_today() if item is not None else timezone.localdate()
        if day and day > today:
            raise forms.ValidationError("Дата выполнения не может быть в будущем.")
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("completed_on") and cleaned.get("status") != RoadmapItem.Status.DONE:
            self.add_error(
                "completed_on",
                "Дата выполнения указывается только для выполненного мероприятия.",
            )
        return cleaned
