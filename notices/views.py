"""The person's notifications (the bell and the list), their e-mail choices and calendar
addresses, and the calendar feeds themselves.

Every notification query goes through `Notification.objects.of(user)`: nobody reads or marks
another person's notices (another's id answers 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import visible_or_404
from programs.models import Program

from . import feeds
from .forms import EmailChoicesForm
from .models import CalendarFeed, EmailOptOut, Notification

PROGRAM_FEEDS = 30


def notification_list(request):
    notices = Notification.objects.of(request.user)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
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
    return redirect(notice.url or "notices:list")


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
