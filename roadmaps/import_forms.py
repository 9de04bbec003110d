"""Forms of the roadmap import: the file and where its items go, the table of the file, and the
meaning of each of its columns."""

from django import forms
from django.urls import reverse

from core.pickers import use_picker
from core.uploads import extension_of, validate_upload
from core.xlsx import MAX_IMPORT_MB

from .importer import EXTENSIONS, Meaning, column_headers
from .models import Roadmap


class RoadmapUploadForm(forms.Form):
    file = forms.FileField(
        label="Приказ или план (.docx, .xlsx)",
        help_text=f"Документ Word или книга Excel с таблицей плана мероприятий, не больше "
        f"{MAX_IMPORT_MB} МБ",
        validators=[validate_upload],
        error_messages={
            "required": "Выберите файл.",
            "empty": "Файл пуст.",
            "invalid": "Файл не получен; выберите его снова.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx"}),
    )
    roadmap = forms.ModelChoiceField(
        label="Куда загрузить",
        queryset=Roadmap.objects.none(),
        required=False,
        empty_label="— в новую дорожную карту —",
        error_messages={"invalid_choice": "Выберите дорожную карту из списка."},
    )
    title = forms.CharField(
        label="Название новой дорожной карты",
        max_length=1000,
        required=False,
        initial="План-график (дорожная карта)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # A national program has a roadmap per school: the roadmap is picked by a search
    # (core.pickers), answered by `roadmaps:import_search`.
    search_fields = {"roadmap": ("title", "organization__short_name")}

    def __init__(self, *args, program, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roadmap"].queryset = (
            Roadmap.objects.editable_by(user).filter(program=program).order_by("title", "pk")
        )
        use_picker(self.fields["roadmap"], reverse("roadmaps:import_search", args=[program.pk]))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if extension_of(upload.name) not in EXTENSIONS:
            raise forms.ValidationError(
                "Нужен документ Word (.docx) или книга Excel (.xlsx) с таблицей плана."
            )
        # The file waits in the session between the preview and the confirmation, as every
        # import's file does; a plan table never needs more.
        if upload.size > MAX_IMPORT_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"Файл больше {MAX_IMPORT_MB} МБ: сохраните таблицу плана в отдельный документ "
                "без рисунков и загрузите его."
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("roadmap") and not (data.get("title") or "").strip():
            self.add_error("title", "Укажите название новой дорожной карты.")
        return data


class TableForm(forms.Form):
    """Which table of the file is the plan; the first until the person picks another."""

    table = forms.TypedChoiceField(label="Таблица", coerce=int)

    def __init__(self, data, *, tables):
        super().__init__(data if "table" in data else None)
        self.tables = {t.index: t for t in tables}
        self.fields["table"].choices = [
            (t.index, f"{t.label}: {len(t.rows)} строк, {t.width} столбцов — «{_start(t)}»")
            for t in tables
        ]
        index = self.cleaned_data["table"] if self.is_bound and self.is_valid() else None
        self.table = self.tables.get(index, tables[0])
        self.initial["table"] = self.table.index


def _start(table):
    text = next((cell for row in table.rows for cell in row if cell), "")
    return text if len(text) <= 40 else text[:39] + "…"


class ColumnsForm(forms.Form):
    """The meaning of every column of the table, guessed from its header."""

    shown = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, table, guessed, **kwargs):
        super().__init__(data, **kwargs)
        headers = column_headers(table)
        for index, meaning in enumerate(guessed):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=headers[index] or f"Столбец {index + 1}",
                choices=Meaning.choices,
                initial=meaning,
                error_messages={"invalid_choice": "Выберите значение столбца из списка."},
            )
        self.guessed = guessed

    def meanings(self):
        """The chosen meanings, or the guess when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid():
            return [self.cleaned_data[f"col_{i}"] for i in range(len(self.guessed))]
        return list(self.guessed)
