"""Forms of the monitoring set-up: points, indicators and their targets."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from core.formtools import ConstraintFieldErrorsMixin, localized_decimal
from schools.models import Organization

from .models import Indicator, MonitoringPoint, Target

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonitoringPointForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    constraint_fields = {"point_unique_date": "date"}

    class Meta:
        model = MonitoringPoint
        fields = ["title", "date", "kind", "stage", "entry_deadline", "locked"]
        widgets = {"date": DATE_WIDGET, "entry_deadline": DATE_WIDGET}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["entry_deadline"].help_text = (
            f"Если не указан, приём закрывается через {program.entry_window_days} дн. после "
            "даты точки (срок программы). После закрытия значения меняет только координатор."
        )

    def clean(self):
        data = super().clean()
        day, deadline = data.get("date"), data.get("entry_deadline")
        if day and deadline and deadline < day:
            self.add_error(
                "entry_deadline", "Приём значений не может закончиться раньше даты точки."
            )
        return data


class IndicatorForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    constraint_fields = {"indicator_unique_code": "code"}

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "unit",
            "direction",
            "method",
            "level",
            "source",
            "group",
            "order",
        ]
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program

    def clean(self):
        data = super().clean()
        method, unit = data.get("method"), data.get("unit")
        if method in Indicator.SHARE_METHODS and unit != Indicator.Unit.PERCENT:
            self.add_error("unit", "Этот показатель вычисляется в процентах: выберите «%».")
        if method in Indicator.COUNT_METHODS and unit != Indicator.Unit.COUNT:
            self.add_error("unit", "Этот показатель — число мероприятий: выберите «количество».")
        if (
            self.instance.pk
            and method
            and method != self.instance.method
            and self.instance.measurements.exists()
        ):
            self.add_error(
                "method", "У показателя уже есть значения: способ получения изменить нельзя."
            )
        return data


class TargetForm(ConstraintFieldErrorsMixin, forms.ModelForm):
    constraint_fields = {
        "target_unique_point_org": "organization",
        "target_unique_point": "point",
        "target_unique_org": "organization",
        "target_unique_threshold": "point",
    }

    class Meta:
        model = Target
        fields = ["point", "organization", "comparison", "value", "text"]

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.instance.indicator = indicator
        program = indicator.program
        self.fields["point"].queryset = program.points.all()
        self.fields["point"].empty_label = "— порог программы в целом —"
        self.fields["organization"].queryset = Organization.objects.filter(
            participations__program=program
        ).distinct()
        self.fields["organization"].empty_label = "— программа в целом —"
        localized_decimal(self.fields["value"], {"class": "form-control"})

    def clean_value(self):
        value = self.cleaned_data.get("value")
        try:
            self.indicator.check_value(value)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return value


class TargetFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "indicator": self.instance}

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms or not form.has_changed():
                continue
            key = (form.cleaned_data.get("point"), form.cleaned_data.get("organization"))
            if key in seen:
                form.add_error(
                    "point", "Целевое значение для этой точки и организации уже есть в списке."
                )
            seen[key] = form


TargetFormSetFactory = inlineformset_factory(
    Indicator, Target, form=TargetForm, formset=TargetFormSet, extra=2, can_delete=True
)


class ValuesUploadForm(forms.Form):
    """The monitoring point whose values a file brings."""

    point = forms.ModelChoiceField(
        label="Точка мониторинга",
        queryset=MonitoringPoint.objects.none(),
        error_messages={"invalid_choice": "Выберите точку мониторинга этой программы."},
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = program.points.all()

    def clean_point(self):
        point = self.cleaned_data["point"]
        if point.locked:
            raise ValidationError("Точка мониторинга закрыта: значения не принимаются.")
        return point
