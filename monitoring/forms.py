"""Data entry at a monitoring point: one sheet with a row per indicator of one school, each row
a small form checked by the indicator's unit; and the approver's verdict on one value."""

from decimal import Decimal

from django import forms

from core.formtools import VerdictFormMixin, localized_decimal
from core.revisions import RevisionFormMixin

from .models import Indicator

YES_NO_CHOICES = [("", "—"), ("1", "да"), ("0", "нет")]


def _plain(value):
    """18.00 → 18, 12.50 → 12.5: the value as a person would type it."""
    return None if value is None else value.normalize() + Decimal(0)


class MeasurementForm(RevisionFormMixin, forms.Form):
    """One indicator's value and comment; the field follows the indicator's unit."""

    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, indicator, measurement=None, **kwargs):
        self.indicator = indicator
        self.measurement = measurement
        super().__init__(*args, revisioned=measurement, **kwargs)
        initial = self.initial
        if measurement is not None:
            initial.setdefault("comment", measurement.comment)
        label = f"{indicator.code}. {indicator.display_title}"
        if indicator.unit == Indicator.Unit.YES_NO:
            field = forms.TypedChoiceField(
                label=label,
                choices=YES_NO_CHOICES,
                coerce=Decimal,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            if measurement is not None and measurement.value is not None:
                initial.setdefault("value", str(int(measurement.value)))
        else:
            field = localized_decimal(
                forms.DecimalField(label=label, required=False, max_digits=12, decimal_places=2),
                {"class": "form-control form-control-sm"},
            )
            if measurement is not None:
                initial.setdefault("value", _plain(measurement.value))
        self.fields = {"value": field, **self.fields}
        # The row's visible label names the value; the comment beside it is named for a screen
        # reader, which reads the control alone.
        self.fields["comment"].widget.attrs["aria-label"] = (
            f"Комментарий к показателю {indicator.code}"
        )

    def clean_value(self):
        value = self.cleaned_data.get("value")
        self.indicator.check_value(value)
        return value

    def has_changes(self):
        """Whether the row differs from what is stored (a new row counts if anything is typed)."""
        value, comment = self.cleaned_data.get("value"), self.cleaned_data.get("comment", "")
        if self.measurement is None:
            return value is not None or bool(comment)
        return value != self.measurement.value or comment != self.measurement.comment


class EntrySheet:
    """The data-entry form for all entered indicators of one school at one point. Rows whose
    value is approved are shown but not editable; `editable=False` makes the whole sheet
    read-only (a curator, or a school after the deadline)."""

    DRAFT, SUBMIT = "draft", "submit"

    def __init__(self, data=None, *, indicators, measurements, editable):
        self.is_bound = data is not None
        self.editable = editable
        self.non_field_errors = []
        self.rows = []
        for indicator in indicators:
            measurement = measurements.get(indicator.pk)
            locked = measurement is not None and measurement.is_locked
            form = None
            if editable and not locked:
                form = MeasurementForm(
                    data,
                    indicator=indicator,
                    measurement=measurement,
                    prefix=f"i{indicator.pk}",
                )
            self.rows.append(
                {"indicator": indicator, "measurement": measurement, "form": form, "locked": locked}
            )

    @property
    def forms(self):
        return [row["form"] for row in self.rows if row["form"] is not None]

    def is_valid(self, action):
        # Validate every row (no short cut), so that all bad values are marked at once.
        results = [form.is_valid() for form in self.forms]
        valid = all(results)
        if action == self.SUBMIT:
            for form in self.forms:
                if form.is_valid() and form.cleaned_data.get("value") is None:
                    form.add_error("value", "Заполните значение, чтобы отправить на проверку.")
                    valid = False
        if not self.forms:
            self.non_field_errors.append("Нет значений, которые можно изменить.")
            valid = False
        for form in self.forms:
            if "value" in form.errors:
                widget = form.fields["value"].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        if not valid and not self.non_field_errors:
            self.non_field_errors.append("Значения не сохранены: исправьте отмеченные поля.")
        return valid


class MeasurementReviewForm(VerdictFormMixin, RevisionFormMixin, forms.Form):
    """An approver's verdict on one value: approve it (a note typed beside it is kept as the
    review comment), or return it with a comment."""

    action = forms.ChoiceField(
        choices=VerdictFormMixin.decision_choices("Утвердить"),
        error_messages={"required": "Выберите решение.", "invalid_choice": "Выберите решение."},
    )
    comment = forms.CharField(
        label="Замечание",
        required=False,
        max_length=2000,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": "Что исправить, или пояснение к утверждению",
            }
        ),
    )

    def __init__(self, *args, measurement, **kwargs):
        self.measurement = measurement
        super().__init__(*args, revisioned=measurement, prefix=f"r{measurement.pk}", **kwargs)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        measurement = self.measurement
        if action == self.APPROVE and not measurement.can_be_approved:
            self.add_error(None, "Утвердить можно только отправленное на проверку значение.")
        if action == self.RETURN and not measurement.can_be_returned:
            self.add_error(None, "Вернуть можно только отправленное или утверждённое значение.")
        return cleaned


class SheetReviewForm(VerdictFormMixin, forms.Form):
    """An approver's verdict on all submitted values of one school at one point at once, with
    one comment (required when they are returned)."""

    action = forms.ChoiceField(
        choices=VerdictFormMixin.decision_choices("Утвердить все"),
        error_messages={"required": "Выберите решение.", "invalid_choice": "Выберите решение."},
    )
    comment = forms.CharField(
        label="Комментарий ко всем значениям",
        required=False,
        max_length=2000,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "placeholder": "Что исправить, или пояснение к утверждению",
            }
        ),
    )


class SheetsDecisionForm(forms.Form):
    """The approver's decision on the sheets of several schools at one point: approve them, or
    return them with one remark. `schools` are those with values the approver may decide on."""

    APPROVE, RETURN = "approve", "return"

    schools = forms.ModelMultipleChoiceField(
        label="Школы",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Отметьте хотя бы одну школу.",
            "invalid_choice": "Значения одной из отмеченных школ решать нечего: обновите страницу.",
            "invalid_pk_value": "Отмечена неизвестная школа.",
        },
    )
    action = forms.ChoiceField(
        label="Решение",
        choices=[(APPROVE, "Утвердить"), (RETURN, "Вернуть на доработку")],
        error_messages={"required": "Выберите решение.", "invalid_choice": "Выберите решение."},
    )
    remark = forms.CharField(
        label="Замечание (при возврате)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools

    @property
    def approves(self):
        return self.cleaned_data["action"] == self.APPROVE

    def clean(self):
        data = super().clean()
        if data.get("action") == self.RETURN and not (data.get("remark") or "").strip():
            self.add_error("remark", "Укажите, что исправить: замечание получит каждая школа.")
        return data
