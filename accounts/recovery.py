"""Password recovery by e-mail through Django's reset views.

The answer is the same whether or not the address is known (Django's form writes only to an
active account with a password). Requests are counted in the audit trail — the database, shared
by every app server — per address and per client over the last hour: past
`PASSWORD_RESET_PER_ADDRESS` no more letters go to that address (the page still says the same),
past `PASSWORD_RESET_PER_CLIENT` the client is told to wait.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.urls import reverse_lazy
from django.utils import timezone

from core.lockout import client_address

from . import audit, sessions
from .audit import Action
from .models import AuditEvent

WINDOW = timedelta(hours=1)


def _asked(**lookup):
    return AuditEvent.objects.filter(
        action=Action.PASSWORD_RESET_ASKED, at__gte=timezone.now() - WINDOW, **lookup
    ).count()


class RecoveryForm(PasswordResetForm):
    email = forms.EmailField(
        label="Электронная почта",
        max_length=254,
        error_messages={"invalid": "Введите адрес электронной почты, например ivanova@school.ru."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if _asked(ip_address=client_address(self.request)) >= settings.PASSWORD_RESET_PER_CLIENT:
            raise forms.ValidationError(
                "Слишком много запросов на восстановление с этого компьютера. Попробуйте через час."
            )
        return email

    def save(self, *args, **kwargs):
        email = self.cleaned_data["email"]
        too_many = _asked(details__email=email) >= settings.PASSWORD_RESET_PER_ADDRESS
        audit.record(
            Action.PASSWORD_RESET_ASKED,
            actor=None,
            target=get_user_model().objects.filter(email__iexact=email, is_active=True).first(),
            request=self.request,
            email=email,
        )
        if not too_many:
            super().save(*args, **kwargs)


class RecoveryView(auth_views.PasswordResetView):
    form_class = RecoveryForm
    template_name = "accounts/recovery_form.html"
    email_template_name = "accounts/recovery_email.txt"
    subject_template_name = "accounts/recovery_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        # Links in the letter lead to the portal's public address, not the one the request
        # happened to use.
        self.extra_email_context = {"portal_url": settings.PORTAL_URL.rstrip("/")}
        return super().form_valid(form)


class RecoveryDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/recovery_done.html"
    extra_context = {"timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}


class RecoverySetPasswordForm(SetPasswordForm):
    pass


class RecoveryConfirmView(auth_views.PasswordResetConfirmView):
    """The letter's one-use link (the token is bound to the password and the last sign-in): a
    new password, every session of the account ended, and the person signs in anew."""

    template_name = "accounts/recovery_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    form_class = RecoverySetPasswordForm

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.end_all(form.user)
        audit.record(Action.PASSWORD_RESET, actor=form.user, target=form.user, request=self.request)
        return response


class RecoveryCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/recovery_complete.html"
