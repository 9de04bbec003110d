"""Inviting people: a coordinator adds a person to an organization of their territory (and,
if asked, as a curator of a pair) by name and e-mail; the letter carries Django's password
token, the person sets a password and lands on their home page.

The account is created without a usable password, so nobody signs in to it before the
invited person has chosen one; the token stops working once they have (it is bound to the
password and the last sign-in)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from programs.models import Curator, Program
from schools.models import Membership

from .models import Invitation


def accept_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.PORTAL_URL.rstrip('/')}{reverse('notices:accept', args=[uid, token])}"


@transaction.atomic
def invite(*, first_name, last_name, email, organization, role, pair, invited_by):
    """The new account, its place of work (and curatorship), and the invitation record."""
    user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, organization=organization, role=role)
    if pair is not None:
        Curator.objects.create(
            pair=pair,
            user=user,
            organization=organization,
            full_name=f"{last_name} {first_name}".strip(),
            appointed_on=timezone.localdate(),
        )
    return Invitation.objects.create(
        user=user, organization=organization, pair=pair, invited_by=invited_by
    )


def inviter_line(invitation):
    """Who invites: «Координатор Сургутского района (ДОиМП Сургутского района)»."""
    inviter = invitation.invited_by
    if inviter is None:
        return "Координатор портала"
    name = inviter.get_full_name() or inviter.get_username()
    membership = (
        Membership.objects.filter(user=inviter)
        .select_related("organization")
        .order_by("organization__short_name")
        .first()
    )
    if membership is None:
        return name
    place = membership.organization.short_name or membership.organization.name
    return f"{name} ({place})"


def invitation_programs(invitation):
    """The programs the invitation is about: the pair's, else those the organization takes
    part in, owns or runs (the first three, by title)."""
    if invitation.pair_id:
        return [invitation.pair.program]
    organization = invitation.organization_id
    return list(
        Program.objects.filter(
            Q(participants__organization=organization)
            | Q(owner=organization)
            | Q(operator=organization)
        )
        .distinct()
        .order_by("short_title")[:3]
    )


def send_invitation(invitation):
    """Send (or send again) the letter with a fresh link; the mail server's error is raised
    to the caller, and the invitation stays for a resend. The letter says who invites and to
    which program, so that the person knows the invitation is genuine and what it is for."""
    user = invitation.user
    where = invitation.organization.short_name or invitation.organization.name
    role = f"куратором пары «{invitation.pair}»" if invitation.pair_id else f"сотрудником {where}"
    programs = invitation_programs(invitation)
    to_program = ""
    if len(programs) == 1:
        to_program = f" в программе «{programs[0].short_title}»"
    elif programs:
        to_program = " в программах " + ", ".join(f"«{p.short_title}»" for p in programs)
    subject = "Приглашение на портал адресной поддержки школ"
    if len(programs) == 1:
        subject += f": {programs[0].short_title}"
    send_mail(
        subject=subject,
        message=(
            f"Здравствуйте, {user.get_full_name() or user.email}!\n\n"
            f"{inviter_line(invitation)} приглашает вас на портал адресной поддержки школ "
            f"{role}{to_program}.\n"
            f"Чтобы войти, задайте пароль по ссылке:\n{accept_url(user)}\n\n"
            f"Имя для входа: {user.get_username()}\n"
            "Ссылка действует "
            f"{settings.PASSWORD_RESET_TIMEOUT // 86400} дн.; если она устарела, попросите "
            "координатора отправить приглашение ещё раз."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), sent_count=invitation.sent_count + 1
    )
