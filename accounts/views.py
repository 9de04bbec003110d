"""A person's own account: password, sessions, second factor, their data."""

from django.contrib.auth import views as auth_views

from . import audit
from .forms import ThrottledPasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change with the sign-in throttle on the old password; the other
    sessions end through Django's session hash, this one is kept."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(
            audit.Action.PASSWORD_CHANGED,
            actor=self.request.user,
            target=self.request.user,
            request=self.request,
        )
        return response
