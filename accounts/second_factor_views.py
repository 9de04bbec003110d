"""The second factor's pages: the code after the password, enrolment with a QR code and backup
codes, one's own settings, and a coordinator's reset of a lost factor in their territory."""

import django_otp
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import reach
from core.formtools import local_next
from core.pagination import page_of

from . import audit, second_factor
from .audit import Action
from .forms import CodeForm


def verify(request):
    """The code after the password, for a person with a device."""
    if not second_factor.has_device(request.user):
        return redirect("accounts:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(local_next(request, "/"))
        audit.record(
            Action.SECOND_FACTOR_FAILED, actor=request.user, target=request.user, request=request
        )
        form.add_error(
            "code",
            "Код не подошёл. Введите код, который показывает приложение сейчас, или резервный код.",
        )
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


def enrol(request):
    """A QR code for the authenticator app, confirmed by its first code; then the backup codes,
    shown once."""
    device = second_factor.pending_device(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = second_factor.confirm(device)
            django_otp.login(request, device)
            audit.record(
                Action.SECOND_FACTOR_ENROLLED,
                actor=request.user,
                target=request.user,
                request=request,
            )
            return render(
                request,
                "accounts/second_factor_codes.html",
                {"codes": codes, "next": local_next(request, "/")},
            )
        form.add_error("code", "Код не подошёл. Проверьте время на телефоне и введите новый код.")
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "qr": second_factor.qr_data_uri(device),
            "secret": second_factor.secret_text(device),
            "required": second_factor.is_required(request.user),
            "next": request.GET.get("next", ""),
        },
    )


def settings_page(request):
    """One's own second factor: whether it is on, new backup codes, switching it off where it
    is not required."""
    user = request.user
    enrolled = second_factor.has_device(user)
    required = second_factor.is_required(user)
    if request.method == "POST" and enrolled:
        if "codes" in request.POST:
            codes = second_factor.new_backup_codes(user)
            return render(
                request, "accounts/second_factor_codes.html", {"codes": codes, "next": "/"}
            )
        if "remove" in request.POST:
            if required:
                raise PermissionDenied("Для вашей роли второй фактор обязателен.")
            second_factor.remove(user)
            audit.record(Action.SECOND_FACTOR_REMOVED, actor=user, target=user, request=request)
            messages.success(request, "Второй фактор отключён.")
            return redirect("accounts:second_factor")
    return render(
        request,
        "accounts/second_factor.html",
        {"enrolled": enrolled, "required": required},
    )


def people_of_territory(user):
    """People who work in the organizations the coordinator may change (their territory)."""
    Organization = apps.get_model("schools", "Organization")
    return (
        get_user_model()
        .objects.filter(memberships__organization__in=Organization.objects.editable_by(user))
        .distinct()
    )


@require_POST
def reset(request, pk):
    """A coordinator resets the lost factor of a person of their territory: the person enrols
    anew at the next sign-in. Outside the territory, 404."""
    if not reach(request.user).is_coordinator:
        raise PermissionDenied("Второй фактор сбрасывает координатор территории.")
    person = get_object_or_404(people_of_territory(request.user), pk=pk)
    if person.pk == request.user.pk:
        raise PermissionDenied(
            "Свой второй фактор сбрасывает другой координатор или администратор."
        )
    second_factor.remove(person)
    audit.record(Action.SECOND_FACTOR_RESET, actor=request.user, target=person, request=request)
    messages.success(
        request,
        f"Второй фактор {person.get_full_name() or person.get_username()} сброшен: при следующем входе он подключит его заново.",
    )
    return redirect(local_next(request, "accounts:second_factor"))


def enrolled_ids(users):
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def people(request):
    """The coordinator's people: whether each has a second factor, and resetting a lost one."""
    if not reach(request.user).is_coordinator:
        raise PermissionDenied("Список людей территории видят координаторы.")
    everyone = people_of_territory(request.user).order_by("last_name", "first_name", "username")
    page = page_of(request, everyone)
    return render(
        request,
        "accounts/people.html",
        {
            "page": page,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "enrolled": enrolled_ids([person.pk for person in page]),
        },
    )
