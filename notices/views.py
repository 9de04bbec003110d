"""The person's notifications (the bell and the list), their e-mail choices and calendar
addresses, and the calendar feeds themselves.

Every notification query goes through `Notification.objects.of(user)`: nobody reads or marks
another person's notices (another's id answers 404)."""

import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from accounts import audit, personal_data
from accounts.forms import ConsentSetPasswordForm
from core.access import require, visible_or_404
from core.formtools import save_or_form_error
from core.pagination import page_of
from core.pickers import form_search_response
from monitoring.models import MonitoringPoint
from programs.models import Program
from schools.models import Organization

from . import feeds, invitations, reminders
from .forms import EmailChoicesForm, InvitationForm
from .models import CalendarFeed, EmailOptOut, Invitation, Notification

log = logging.getLogger(__name__)

PROGRAM_FEEDS = 30


def notification_list(request):
    notices = Notification.objects.of(request.user)
    page = page_of(request, notices)
    return render(
        request,
        "notices/list.html",
        {
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "unread": notices.unread().count(),
        },
    )


def bell(request):
    """The header's bell, loaded by htmx so that pages themselves make no extra query."""
    count = Notification.objects.of(request.user).unread().count()
    return render(request, "notices/_bell.html", {"count": count})


def notification_open(request, pk):
    """Mark the notice read and go where it points."""
    notice = get_object_or_404(Notification.objects.of(request.user), pk=pk)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    # Notices store paths the portal reversed itself; anything else goes to the list.
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notices:list")


@require_POST
def mark_all_read(request):
    count = Notification.objects.of(request.user).unread().update(read_at=timezone.now())
    messages.success(request, f"Отмечено прочитанными: {count}.")
    return redirect("notices:list")


def notice_settings(request):
    """Which kinds come by e-mail, and the private calendar addresses."""
    user = request.user
    muted = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    form = EmailChoicesForm(request.POST or None, muted=muted)
    if request.method == "POST" and form.is_valid():
        form.save(user)
        messages.success(request, "Настройки писем сохранены.")
        return redirect("notices:settings")
    feed = CalendarFeed.of(user)
    programs = Program.objects.visible_to(user).order_by("short_title")[:PROGRAM_FEEDS]
    return render(
        request,
        "notices/settings.html",
        {
            "form": form,
            "feed_url": request.build_absolute_uri(reverse("notices:feed", args=[feed.token])),
            "has_email": bool(user.email),
            "program_feeds": [
                (
                    program,
                    request.build_absolute_uri(
                        reverse("notices:program_feed", args=[feed.token, program.pk])
                    ),
                )
                for program in programs
            ],
        },
    )


@require_POST
def renew_feed(request):
    CalendarFeed.of(request.user).renew()
    messages.success(request, "Выдан новый адрес календаря; старый больше не работает.")
    return redirect("notices:settings")


def _feed_owner(token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("Неверный адрес календаря.")
    return feed.user


def _ics(content, name):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@login_not_required
def personal_feed(request, token):
    return _ics(feeds.personal_feed(_feed_owner(token)), "portal")


@login_not_required
def program_feed(request, token, pk):
    user = _feed_owner(token)
    program = visible_or_404(
        Program.objects.select_related("region", "municipality__region"), user, pk=pk
    )
    return _ics(feeds.program_feed(program, user), f"program-{program.pk}")


def _may_invite(user):
    if not Organization.objects.editable_by(user).exists():
        raise PermissionDenied("Приглашать людей могут координаторы территории.")


def invitation_list(request):
    """Who the coordinator's territory invited, who has not signed in yet; resend."""
    _may_invite(request.user)
    invitations = (
        Invitation.objects.visible_to(request.user)
        .select_related("user", "organization", "pair__curator_school", "pair__supported_school")
        .order_by("user__last_login", "-created_at")
    )
    return render(
        request,
        "notices/invitations.html",
        {
            "invitations": invitations,
            "waiting": invitations.not_signed_in().count(),
        },
    )


def invitation_create(request):
    _may_invite(request.user)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invitation = save_or_form_error(
            form,
            lambda: invitations.invite(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organization=data["organization"],
                role=data["role"],
                pair=data["pair"],
                invited_by=request.user,
            ),
            "Пользователь с таким адресом уже есть на портале.",
            "email",
        )
        if invitation is not None:
            audit.record(
                audit.Action.INVITATION_SENT,
                actor=request.user,
                target=invitation.user,
                request=request,
                organization=invitation.organization,
                role=data["role"],
                pair=invitation.pair_id,
            )
            _send(request, invitation)
            return redirect("notices:invitations")
    return render(request, "notices/invitation_form.html", {"form": form})


@require_safe
def invitation_search(request):
    """Organizations and pairs for the invitation form's pickers, through the form's choices."""
    _may_invite(request.user)
    return form_search_response(request, InvitationForm(user=request.user))


def _send(request, invitation):
    try:
        invitations.send_invitation(invitation)
    except Exception:  # the mail server's failure: the invitation stays, resend later
        log.warning("Приглашение %s не отправлено", invitation.pk, exc_info=True)
        messages.error(
            request,
            f"Письмо для {invitation.user.email} не отправлено: почтовый сервер не ответил. "
            "Приглашение сохранено — отправьте его ещё раз позже.",
        )
    else:
        messages.success(request, f"Приглашение отправлено на {invitation.user.email}.")


@require_POST
def invitation_resend(request, pk):
    invitation = visible_or_404(
        Invitation.objects.select_related("user", "organization", "pair"), request.user, pk=pk
    )
    if invitation.user.last_login is not None:
        messages.info(request, f"{invitation.user.get_full_name()} уже входит на портал.")
    else:
        audit.record(
            audit.Action.INVITATION_SENT,
            actor=request.user,
            target=invitation.user,
            request=request,
            organization=invitation.organization,
            again=True,
        )
        _send(request, invitation)
    return redirect("notices:invitations")


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The link of the letter: the person sets a password, is signed in and lands on their
    home page."""

    template_name = "notices/accept.html"
    form_class = ConsentSetPasswordForm
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")

    def get_user(self, uidb64):
        # A deactivated person's old letter opens nothing: no password waits for the day the
        # account is switched on again.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        person = form.user
        personal_data.record_consent(person, self.request)
        for invitation in person.invitations.select_related("organization"):
            audit.record(
                audit.Action.INVITATION_ACCEPTED,
                actor=person,
                target=person,
                request=self.request,
                organization=invitation.organization,
            )
        messages.success(self.request, "Пароль задан. Добро пожаловать на портал!")
        return response


@require_POST
def remind_missing(request, pk):
    """«Напомнить не сдавшим» on a point: for the program's coordinators (who set it up);
    whoever else sees the point gets 403, anyone else 404."""
    point = visible_or_404(
        MonitoringPoint.objects.select_related("program__region", "program__municipality__region"),
        request.user,
        pk=pk,
    )
    require(
        Program.objects.editable_by(request.user),
        point.program,
        "Напоминать школам может координатор программы.",
    )
    reminded, skipped = reminders.remind_missing(point, request.user)
    if reminded:
        names = ", ".join(school.short_name or school.name for school in reminded)
        messages.success(request, f"Напоминание отправлено школам ({len(reminded)}): {names}.")
    if skipped:
        names = ", ".join(school.short_name or school.name for school in skipped)
        messages.info(request, f"Сегодня уже напоминали: {names}. Следующее напоминание — завтра.")
    if not reminded and not skipped:
        messages.info(request, "Все школы отправили значения: напоминать некому.")
    return redirect("monitoring:queue", pk=point.pk)
