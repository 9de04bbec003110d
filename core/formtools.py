"""Small pieces shared by the set-up forms of every app.

`ConstraintFieldErrorsMixin` turns a database constraint that a form's data would break into a
Russian message beside the field it concerns, so that the database refusal (IntegrityError, a
500) is never what a person sees. Django's model validation already checks these constraints,
but it skips any that names a field the form does not show (the program of a formset row) and
reports the rest above the form, away from the field.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ConstraintFieldErrorsMixin:
    """For a ModelForm: `constraint_fields` maps a constraint's name to the form field beside
    which its violation message is shown. The instance must carry the fields that the form does
    not show (set them in `__init__`) so that the constraint can be checked."""

    constraint_fields: dict[str, str] = {}

    def _post_clean(self):
        super()._post_clean()
        instance = self.instance
        model = type(instance)
        for constraint in model._meta.constraints:
            field = self.constraint_fields.get(constraint.name)
            if field is None or field not in self.fields or self.has_error(field):
                continue
            try:
                constraint.validate(model, instance)
            except ValidationError as error:
                self._drop_non_field_messages(error.messages)
                self.add_error(field, error.messages)

    def _drop_non_field_messages(self, messages):
        """The model's own check may already have put the same message above the form."""
        errors = self._errors.get(NON_FIELD_ERRORS)
        if not errors:
            return
        kept = [e for e in errors.as_data() if not set(e.messages) & set(messages)]
        if kept:
            errors.data = kept
        else:
            del self._errors[NON_FIELD_ERRORS]


class VerdictFormMixin:
    """For a reviewer's form (a value, a document): the decision field named `decision_field`
    with `APPROVE` or `RETURN`, and a `comment` that must say what to fix when the work is
    returned. `approves` is the decision once the form is valid."""

    APPROVE, RETURN = "approve", "return"
    decision_field = "action"
    return_needs_comment = "Укажите, что нужно исправить."

    @classmethod
    def decision_choices(cls, approve_label):
        return [(cls.APPROVE, approve_label), (cls.RETURN, "Вернуть на доработку")]

    def clean(self):
        cleaned = super().clean()
        returning = cleaned.get(self.decision_field) == self.RETURN
        if returning and not cleaned.get("comment", "").strip():
            self.add_error("comment", self.return_needs_comment)
        return cleaned

    @property
    def approves(self):
        return self.cleaned_data[self.decision_field] == self.APPROVE


class DecimalInput(forms.TextInput):
    """A decimal typed the Russian way («60,5»): a text input with the decimal keyboard on a
    phone, shown and read with the decimal comma. A number input (`<input type="number">`)
    must never be localized: a browser reads «60,50» in one as empty, and the form cannot be
    sent again."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})


def localized_decimal(field, attrs=None):
    """Make a form's DecimalField take and show the decimal comma, in a `DecimalInput`."""
    field.localize = True
    field.widget = DecimalInput(attrs)
    field.widget.is_localized = True
    return field


# A search box is for a name, an ИНН or an order number. SQLite refuses LIKE patterns longer than
# 50,000 bytes with an error, and no name is longer than this.
SEARCH_MAX_LENGTH = 200
# Years a program, a status or a report may speak of; Python's dates end at 9999 and start at 1.
YEAR_MIN, YEAR_MAX = 1990, 2100


def local_next(request, fallback):
    """Where a form posted with `next` sends the person back: a path of this site, or
    `fallback`. Anything else (another host, «javascript:», a bare word that `redirect()` would
    try to resolve as a view name) is ignored."""
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("next") or request.GET.get("next") or ""
    if (
        back.startswith("/")
        and not back.startswith("//")
        and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    ):
        return back
    return fallback


def save_or_form_error(form, save, message, field=None):
    """Run `save()` in a savepoint and return what it returns; when a request sent at the same
    moment (a double click, two tabs) has written the same row first, the database's unique
    constraint refuses this one, and the person reads `message` on the form instead of a server
    error. Returns None then."""
    from django.db import IntegrityError, transaction

    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        form.add_error(field, message)
        return None
