from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from . import throttle


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, whose wrong old passwords count as failed sign-ins
    (accounts.throttle): a locked name may not try at all."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        if throttle.is_locked(self.request, self.user):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise forms.ValidationError(throttle.LOCKED.format(minutes=minutes), code="locked")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            throttle.count_failure(self.request, self.user, sender=type(self))
            raise


class CodeForm(forms.Form):
    """A code of the authenticator app (six digits) or a backup code (eight)."""

    code = forms.CharField(
        label="Код",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdecimal():
            raise forms.ValidationError("Код состоит из цифр.")
        return code


class ConsentSetPasswordForm(SetPasswordForm):
    """The invitation's password form, with the consent to the processing of personal data
    (152-ФЗ) that accepting the invitation records."""

    consent = forms.BooleanField(
        label="Я даю согласие на обработку моих персональных данных на условиях страницы "
        "«Обработка персональных данных»",
        error_messages={
            "required": "Без согласия на обработку персональных данных вход невозможен."
        },
    )
