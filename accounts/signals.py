"""Events recorded from Django's own signals, so that no view (nor the admin) has to remember
them: sign-ins, their failures and sign-outs; places of work and roles granted, changed or
taken; the administrator's rights given or taken."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from . import audit
from .audit import Action


def current_request():
    """The request being answered (simple-history's middleware keeps it), for model signals."""
    return getattr(HistoricalRecords.context, "request", None)


def _actor(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def signed_in(sender, request, user, **kwargs):
    from .sessions import mark_seen

    mark_seen(request)
    warn_of_new_browser(request, user)
    audit.record(Action.SIGN_IN, actor=user, target=user, request=request, method=_method(request))


def warn_of_new_browser(request, user):
    """A letter when a person signs in from a browser none of their earlier sign-ins (within
    AUDIT_DAYS) came from: if it was not them, they know to change the password."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import AuditEvent

    if request is None or not user.email:
        return
    agent = request.META.get("HTTP_USER_AGENT", "")[: audit.USER_AGENT_LENGTH]
    earlier = AuditEvent.objects.filter(action=Action.SIGN_IN, target=user)
    if not earlier.exists() or earlier.filter(user_agent=agent).exists():
        return
    from core.lockout import client_address

    send_mail(
        subject="Вход на портал с нового браузера",
        message=(
            f"Здравствуйте, {user.get_full_name() or user.get_username()}!\n\n"
            "В вашу учётную запись на портале адресной поддержки школ вошли с браузера, "
            "с которого вы раньше не входили.\n"
            f"Браузер: {agent or 'не указан'}\nАдрес: {client_address(request) or 'не указан'}\n\n"
            "Если это были не вы, смените пароль и завершите другие сеансы: "
            f"{settings.PORTAL_URL.rstrip('/')}/accounts/sessions/"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
        fail_silently=True,
    )
    audit.record(Action.NEW_BROWSER, actor=user, target=user, request=request)


def _method(request):
    return getattr(request, "sign_in_method", "пароль") if request is not None else "пароль"


def sign_in_failed(sender, credentials, request=None, source="вход", **kwargs):
    username = str(credentials.get("username") or "")[:150]
    target = get_user_model().objects.filter(username=username).first() if username else None
    audit.record(
        Action.SIGN_IN_FAILED,
        actor=None,
        target=target,
        request=request,
        username=username,
        where=source,
    )


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(Action.SIGN_OUT, actor=user, target=user, request=request)


def membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_role_before", None)
    if not created and before == instance.role:
        return
    request = current_request()
    audit.record(
        Action.MEMBERSHIP_GRANTED if created else Action.MEMBERSHIP_CHANGED,
        actor=_actor(request),
        target=instance.user,
        request=request,
        organization=instance.organization,
        role=instance.role,
        **({} if created else {"role_before": before}),
    )


def membership_role_before(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance._audit_role_before = (
            sender.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        )


def membership_deleted(sender, instance, origin=None, **kwargs):
    # Only a place of work taken away itself: one that goes with its person or organization
    # is not a decision about it (and its person's row is about to go).
    if not (isinstance(origin, sender) or getattr(origin, "model", None) is sender):
        return
    request = current_request()
    organization = type(instance.organization).objects.filter(pk=instance.organization_id).first()
    audit.record(
        Action.MEMBERSHIP_REVOKED,
        actor=_actor(request),
        target=get_user_model().objects.filter(pk=instance.user_id).first(),
        request=request,
        organization=organization,
        role=instance.role,
    )


def rights_before(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance._audit_rights_before = (
            sender.objects.filter(pk=instance.pk).values_list("is_staff", "is_superuser").first()
        )


def rights_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = (False, False) if created else getattr(instance, "_audit_rights_before", None)
    now = (instance.is_staff, instance.is_superuser)
    if before is None or before == now:
        return
    request = current_request()
    granted = (now[0] and not before[0]) or (now[1] and not before[1])
    audit.record(
        Action.STAFF_GRANTED if granted else Action.STAFF_REVOKED,
        actor=_actor(request),
        target=instance,
        request=request,
        is_staff=instance.is_staff,
        is_superuser=instance.is_superuser,
    )


def connect():
    user_logged_in.connect(signed_in, dispatch_uid="accounts.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="accounts.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="accounts.signed_out")
    membership = "schools.Membership"
    pre_save.connect(membership_role_before, sender=membership, dispatch_uid="accounts.m_before")
    post_save.connect(membership_saved, sender=membership, dispatch_uid="accounts.m_saved")
    post_delete.connect(membership_deleted, sender=membership, dispatch_uid="accounts.m_deleted")
    user = get_user_model()
    pre_save.connect(rights_before, sender=user, dispatch_uid="accounts.rights_before")
    post_save.connect(rights_saved, sender=user, dispatch_uid="accounts.rights_saved")
