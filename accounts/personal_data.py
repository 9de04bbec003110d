"""Personal data under 152-ФЗ: what the portal keeps about a person, its export, an
administrator's deactivation and erasure, and consent.

Erasure anonymises the account row in place and never deletes it: whatever the person entered
(values, reports, scores, answers) stays and still points at that row, whose name now reads
«удалённый пользователь»; the addresses and browsers of their sign-in and audit rows go.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction

from core import timezones

from . import audit, second_factor, sessions
from .audit import Action
from .models import AuditEvent, Consent

ERASED_NAME = ("удалённый", "пользователь")
# Links to a person that are machinery, not something they wrote.
NOT_WRITTEN = {"accounts", "qsessions", "otp_totp", "otp_static", "axes", "admin", "auth"}


def written(user):
    """(what, how many) of the rows the person is named on — their values, reports, answers,
    documents and the like — counted per kind, through every model that links to a user."""
    User = get_user_model()
    counts = []
    for model in apps.get_models():
        if model._meta.app_label in NOT_WRITTEN or model._meta.label.startswith("simple_history"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.ForeignKey) and field.related_model is User
        ]
        if not fields:
            continue
        condition = models.Q()
        for name in fields:
            condition |= models.Q(**{name: user})
        count = model._default_manager.filter(condition).count()
        if count:
            counts.append((str(model._meta.verbose_name_plural).capitalize(), count))
    return sorted(counts)


def collect(user):
    """Everything the portal keeps about the person, as sections for the page and the export."""
    return {
        "Учётная запись": {
            "имя для входа": user.get_username(),
            "фамилия": user.last_name,
            "имя": user.first_name,
            "электронная почта": user.email,
            "зарегистрирован": _when(user.date_joined),
            "последний вход": _when(user.last_login),
            "активен": "да" if user.is_active else "нет",
            "второй фактор": "подключён" if second_factor.has_device(user) else "нет",
        },
        "Места работы": [
            {
                "организация": str(m.organization),
                "роль": m.get_role_display(),
                "должность": m.position,
            }
            for m in user.memberships.select_related("organization")
        ],
        "Согласия на обработку персональных данных": [
            {"дано": _when(c.given_at), "редакция": c.version, "адрес": c.ip_address or ""}
            for c in user.consents.all()
        ],
        "Вход через провайдера": [
            {"провайдер": i.issuer, "идентификатор": i.sub, "привязан": _when(i.linked_at)}
            for i in user.external_identities.all()
        ],
        "Сеансы": [
            {"браузер": s.device, "адрес": s.ip or "", "последнее действие": _when(s.updated_at)}
            for s in sessions.of(user)
        ],
        "Входы и события безопасности": [
            {
                "когда": _when(e.at),
                "событие": e.get_action_display(),
                "адрес": e.ip_address or "",
                "браузер": e.user_agent,
            }
            for e in AuditEvent.objects.filter(target=user).order_by("-at")[:500]
        ],
        "Что внесено на портал": [{"что": what, "записей": count} for what, count in written(user)],
    }


def _when(moment):
    return timezones.moment(moment)


def _machinery_of(user):
    """End what lets the account act: sessions, calendar feeds, the second factor's devices,
    pending invitations, any access tokens, and the link to the identity provider's account."""
    sessions.end_all(user)
    for label in ("notices.CalendarFeed", "api.Token", "api.AccessToken"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._default_manager.filter(user=user).delete()
    Invitation = apps.get_model("notices", "Invitation")
    Invitation.objects.filter(user=user, user__last_login__isnull=True).delete()
    # The link to the identity provider's account: nobody signs in to the row through it again.
    apps.get_model("accounts", "ExternalIdentity").objects.filter(user=user).delete()


@transaction.atomic
def deactivate(user, *, by, request=None):
    """The account can no longer sign in or be reached through a feed, a token or an
    invitation's link; its data stay."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    _machinery_of(user)
    audit.record(Action.ACCOUNT_DEACTIVATED, actor=by, target=user, request=request)


@transaction.atomic
def erase(user, *, by, request=None):
    """Anonymise the account in place (see the module's docstring)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    old_username = user.get_username()
    user.username = f"deleted-{user.pk}"
    user.first_name, user.last_name = ERASED_NAME
    user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _machinery_of(user)
    second_factor.remove(user)
    user.memberships.update(position="")
    apps.get_model("programs", "Curator").objects.filter(user=user).update(
        full_name=" ".join(ERASED_NAME)
    )
    AuditEvent.objects.filter(models.Q(actor=user) | models.Q(target=user)).update(
        ip_address=None, user_agent=""
    )
    for log in (AccessLog, AccessFailureLog, AccessAttempt):
        log.objects.filter(username=old_username).delete()
    user.consents.update(ip_address=None)
    audit.record(Action.ACCOUNT_ERASED, actor=by, target=user, request=None)


def record_consent(user, request):
    from core.lockout import client_address

    return Consent.objects.create(
        user=user, version=settings.PRIVACY_POLICY_VERSION, ip_address=client_address(request)
    )
