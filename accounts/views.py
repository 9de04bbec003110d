"""A person's own account: password, sessions, second factor, their data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from . import audit, personal_data, sessions
from .forms import ThrottledPasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change with the sign-in throttle on the old password; this session is
    kept (Django's session hash) and the others end."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        ended = sessions.end_others(self.request)
        audit.record(
            audit.Action.PASSWORD_CHANGED,
            actor=self.request.user,
            target=self.request.user,
            request=self.request,
            sessions_ended=ended,
        )
        return response


def session_list(request):
    """The person's sessions — browser, address, last activity — and ending the others."""
    if request.method == "POST":
        ended = sessions.end_others(request)
        audit.record(
            audit.Action.SESSIONS_ENDED,
            actor=request.user,
            target=request.user,
            request=request,
            count=ended,
        )
        messages.success(request, f"Завершено других сеансов: {ended}.")
        return redirect("accounts:sessions")
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions.of(request.user),
            "current": request.session.session_key,
            "absolute_hours": settings.SESSION_COOKIE_AGE // 3600,
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
        },
    )


def my_data(request):
    """What the portal keeps about the signed-in person (152-ФЗ), and its export."""
    sections = personal_data.collect(request.user)
    if request.GET.get("format") == "json":
        audit.record(
            audit.Action.DATA_EXPORTED, actor=request.user, target=request.user, request=request
        )
        response = JsonResponse(sections, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response
    return render(request, "accounts/my_data.html", {"sections": sections})


@login_not_required
def privacy(request):
    """The privacy page (152-ФЗ): the operator, purposes, what is kept and for how long."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "operator": settings.PRIVACY_OPERATOR,
            "contact": settings.PRIVACY_CONTACT,
            "version": settings.PRIVACY_POLICY_VERSION,
            "audit_days": settings.AUDIT_DAYS,
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        },
    )
