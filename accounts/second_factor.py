"""The second factor (django-otp): a TOTP app enrolled by a QR code, and one-use backup codes.

Who must have it, when `TWO_FACTOR_REQUIRED` is on (by default whenever DEBUG is off): the
coordinators, every staff member of a program's owner or operator organization, and the
administrator's staff (`is_staff`, who reach the admin site). Anyone else may switch it on for
themselves; whoever has a confirmed device is asked for a code after the password. Until then
`SecondFactorMiddleware` lets such a person reach only the code (or enrolment) page, the
sign-out and the password recovery.
"""

import base64
import io
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import reach

BACKUP_CODES = 10
# Pages a signed-in person reaches before the second step: those of the step itself, the way
# out, and static files.
OPEN_PATHS = ("/accounts/second-factor/", "/accounts/logout/", "/static/")


def is_required(user):
    """Whether `user` must have a second factor (see the module's docstring)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or reach(user).is_coordinator:
        return True
    Program = apps.get_model("programs", "Program")
    Membership = apps.get_model("schools", "Membership")
    programs = Program.objects.all()
    return Membership.objects.filter(
        user=user, organization__in=programs.values("owner")
    ).exists() or (
        Membership.objects.filter(user=user, organization__in=programs.values("operator")).exists()
    )


def has_device(user):
    return user_has_device(user, confirmed=True)


# Set on a session signed in through the region's identity provider whose token says a second
# factor was used there (accounts/oidc.py): such a session is not asked for the portal's own.
AT_PROVIDER = "portal_second_factor_at_provider"


def set_passed_at_provider(request, passed):
    if passed:
        request.session[AT_PROVIDER] = True
    else:
        request.session.pop(AT_PROVIDER, None)


def passed_at_provider(request):
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(AT_PROVIDER))


class SecondFactorMiddleware:
    """After the password: a person with a device gives a code; one who must have a device and
    has none enrols; nothing else is reached until then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS)
            and not getattr(request, "second_factor_done", False)
            and not passed_at_provider(request)
        ):
            step = (
                "accounts:verify"
                if has_device(user)
                else "accounts:enrol"
                if is_required(user)
                else None
            )
            if step is not None:
                if request.headers.get("HX-Request"):
                    # A fragment a page asks for (the bell) gets nothing, not the step's page.
                    return HttpResponse(status=204)
                return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)


PENDING = "portal_pending_totp"


def pending_device(request):
    """The TOTP device this session is enrolling (unconfirmed): made once and remembered in the
    session, so that a reload — or a second tab — shows the same QR code that the code is then
    checked against."""
    user = request.user
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(PENDING)
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Приложение", confirmed=False)
        request.session[PENDING] = device.pk
    return device


def qr_data_uri(device):
    """The device's otpauth:// address as an SVG QR code in a data: URI (the page's policy
    allows images from data: only, no script)."""
    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def secret_text(device):
    """The key in base32, in groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def confirm(device):
    """The device is enrolled; any other TOTP device (an older one, or one enrolment left
    unconfirmed) goes; fresh backup codes are returned."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(device.user)


def new_backup_codes(user):
    """BACKUP_CODES one-use codes, replacing any earlier ones."""
    static, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Резервные коды"})
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def remove(user):
    """Every device of the person goes (they enrol anew)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
