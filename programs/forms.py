"""Forms of a school's documents: a new document with its first file, a new version, sending
for review, and the reviewer's verdict."""

from django import forms

from core.formtools import VerdictFormMixin
from core.revisions import RevisionFormMixin
from core.uploads import UploadField
from schools.models import RiskFactor

from .models import Document

# What a school uploads itself; orders and reports come from the authorities.
SCHOOL_KINDS = [
    Document.Kind.DEVELOPMENT_CONCEPT,
    Document.Kind.MEDIUM_TERM_PROGRAM,
    Document.Kind.ANTI_RISK_PROGRAM,
    Document.Kind.SCHOOL_ROADMAP,
    Document.Kind.AGREEMENT,
    Document.Kind.OTHER,
]


class DocumentForm(forms.ModelForm):
    """A new document of a school with its first file."""

    file = UploadField(label="Файл")
    comment = forms.CharField(label="Комментарий к версии", required=False, max_length=500)

    class Meta:
        model = Document
        fields = ["program", "kind", "risk_factor", "title"]
        labels = {"risk_factor": "Фактор риска (для антирисковой программы)"}

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].empty_label = None if programs.count() == 1 else "—"
        self.fields["kind"].choices = [(k.value, k.label) for k in SCHOOL_KINDS]
        self.fields["risk_factor"].queryset = RiskFactor.objects.all()

    def clean(self):
        cleaned = super().clean()
        kind, factor = cleaned.get("kind"), cleaned.get("risk_factor")
        if kind == Document.Kind.ANTI_RISK_PROGRAM and factor is None:
            self.add_error("risk_factor", "Укажите фактор риска, против которого эта программа.")
        if kind != Document.Kind.ANTI_RISK_PROGRAM and factor is not None:
            self.add_error(
                "risk_factor", "Фактор риска указывается только у антирисковой программы."
            )
        return cleaned


class DocumentVersionForm(RevisionFormMixin, forms.Form):
    """A new file of an existing document; the earlier ones are kept."""

    file = UploadField(label="Новая версия файла")
    comment = forms.CharField(label="Что изменилось", required=False, max_length=500)


class DocumentSubmitForm(RevisionFormMixin, forms.Form):
    """Sending the document for review: only the revision it was sent from."""


class DocumentReviewForm(VerdictFormMixin, RevisionFormMixin, forms.Form):
    """The verdict of a coordinator or an assigned expert."""

    decision_field = "verdict"
    return_needs_comment = "Напишите, что нужно доработать."

    verdict = forms.ChoiceField(
        label="Решение",
        choices=VerdictFormMixin.decision_choices("Одобрить"),
        widget=forms.RadioSelect,
        error_messages={"required": "Выберите решение.", "invalid_choice": "Выберите решение."},
    )
    comment = forms.CharField(
        label="Заключение",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
