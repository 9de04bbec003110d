"""The audit trail of security and decision events: who did what to whom, when and from where.

Every app records its events through `record`, the one way to write a row:

    from accounts import audit
    audit.record(audit.Action.JURY_SCORE, actor=request.user, request=request,
                 organization=school, submission=submission.pk, score=7)

simple-history keeps the changes of a row's fields (who changed a value, a title); this trail
keeps what an auditor asks about: sign-ins and their failures, passwords, the second factor,
invitations, places of work and roles, expertise verdicts, jury scores, approvals and returns of
values. Rows are never changed (a trigger refuses it, `accounts/migrations`), only pruned after
`AUDIT_DAYS` by `manage.py housekeeping`, and shown to the coordinators of the territory of the
organization or the people they concern, and to the administrator.
"""

from django.apps import apps
from django.db import models

from core.lockout import client_address

USER_AGENT_LENGTH = 300


class Action(models.TextChoices):
    SIGN_IN = "sign_in", "вход"
    SIGN_IN_FAILED = "sign_in_failed", "неудачная попытка входа"
    SIGN_OUT = "sign_out", "выход"
    EXTERNAL_IDENTITY_LINKED = "external_identity_linked", "привязан вход через провайдера"
    NEW_BROWSER = "new_browser", "вход с нового браузера"
    PASSWORD_CHANGED = "password_changed", "смена пароля"
    PASSWORD_RESET_ASKED = "password_reset_asked", "запрос на восстановление пароля"
    PASSWORD_RESET = "password_reset", "пароль восстановлен по ссылке"
    SESSIONS_ENDED = "sessions_ended", "завершены другие сеансы"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "подключён второй фактор"
    SECOND_FACTOR_REMOVED = "second_factor_removed", "отключён второй фактор"
    SECOND_FACTOR_RESET = "second_factor_reset", "второй фактор сброшен координатором"
    SECOND_FACTOR_FAILED = "second_factor_failed", "неверный одноразовый код"
    INVITATION_SENT = "invitation_sent", "отправлено приглашение"
    INVITATION_ACCEPTED = "invitation_accepted", "принято приглашение"
    MEMBERSHIP_GRANTED = "membership_granted", "добавлено место работы"
    MEMBERSHIP_CHANGED = "membership_changed", "изменена роль на месте работы"
    MEMBERSHIP_REVOKED = "membership_revoked", "снято место работы"
    STAFF_GRANTED = "staff_granted", "выданы права администратора"
    STAFF_REVOKED = "staff_revoked", "сняты права администратора"
    EXPERTISE_VERDICT = "expertise_verdict", "решение эксперта"
    JURY_SCORE = "jury_score", "оценка жюри"
    VALUE_APPROVED = "value_approved", "значение принято"
    VALUE_RETURNED = "value_returned", "значение возвращено"
    TOKEN_ISSUED = "token_issued", "выдан токен доступа"
    TOKEN_REVOKED = "token_revoked", "отозван токен доступа"
    DATA_EXPORTED = "data_exported", "выгружены персональные данные"
    ACCOUNT_DEACTIVATED = "account_deactivated", "учётная запись отключена"
    ACCOUNT_ERASED = "account_erased", "персональные данные обезличены"


def _person(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(action, *, actor, target=None, request=None, organization=None, **details):
    """Write one event: `action` (an `Action`), the person who acted (None or anonymous for the
    system or an unknown visitor), the person it concerns, the request it came with (for the
    client's address and browser), the organization it concerns (whose territory's
    coordinators see it), and anything else as details (JSON: ids, names, verdicts)."""
    # By name: the models import this module's actions.
    AuditEvent = apps.get_model("accounts", "AuditEvent")

    return AuditEvent.objects.create(
        action=Action(action),
        actor=_person(actor),
        target=_person(target),
        organization=organization,
        ip_address=client_address(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH] if request else ""),
        details=details,
    )


def record_many(action, *, actor, events):
    """Write one event per `(organization, details)` of `events` in one statement: a decision
    taken on many schools at once (a point's sheets approved by list) is still one event per
    school, each seen by that school's territory."""
    # By name: the models import this module's actions.
    AuditEvent = apps.get_model("accounts", "AuditEvent")

    return AuditEvent.objects.bulk_create(
        AuditEvent(
            action=Action(action),
            actor=_person(actor),
            organization=organization,
            details=details,
        )
        for organization, details in events
    )
