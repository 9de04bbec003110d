"""Sent once, whatever happens: the command run twice or in two threads sends one letter per
notice; a mail server that fails is retried; e-mail choices are kept."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from notices import mail as notices_mail
from notices.mail import send_pending
from notices.models import EmailOptOut, Kind, Notification
from tests import factories as f


def invite(people, count=3):
    for n in range(count):
        event = f.EventFactory(
            program=people.program,
            title=f"Вебинар {n}",
            starts_at=timezone.now() + timedelta(days=10),
        )
        event.invited.add(people.supported_school, people.curator_school)


class FailsOnce(EmailBackend):
    """A mail server that refuses the first letter of the test and accepts the rest."""

    failed = False

    def send_messages(self, messages):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise ConnectionRefusedError("SMTP-сервер недоступен")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_the_command_run_twice_sends_one_letter_per_notice(people):
    invite(people)
    call_command("send_notifications")
    call_command("send_notifications")
    # Three events, two invited schools with one person each (and the coordinators' quiet
    # weekly digests, stored read and without a letter).
    assert Notification.objects.exclude(kind=Kind.DIGEST).count() == 6
    assert len(mail.outbox) == 6
    assert sorted({m.to[0] for m in mail.outbox}) == ["curator@example.ru", "school@example.ru"]
    assert set(
        Notification.objects.exclude(kind=Kind.DIGEST).values_list("email_state", flat=True)
    ) == {"sent"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database refuses concurrent writers outright "
    "(«database table is locked»); the interleaving test below covers the claim on SQLite",
)
def test_two_senders_at_once_send_one_letter_per_notice(people):
    invite(people, count=5)
    call_command("send_notifications", "--no-mail")
    assert Notification.objects.filter(email_state="pending").count() == 10
    start = threading.Barrier(2)
    errors = []

    def sender():
        try:
            start.wait()
            send_pending()
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 10
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 10
    assert Notification.objects.filter(email_state="sent").count() == 10


@pytest.mark.django_db
def test_a_sender_whose_notices_another_sent_meanwhile_sends_nothing(people, monkeypatch):
    """Two senders list the same waiting notices; the second sends them all between the
    first one's listing and its first claim. The first one's claims then all fail."""
    invite(people, count=3)
    call_command("send_notifications", "--no-mail")
    claim = notices_mail.claim
    raced = []

    def racing_claim(pk, now):
        if not raced:
            raced.append(pk)
            assert send_pending() == (6, 0)  # the other sender, in between
        return claim(pk, now)

    monkeypatch.setattr(notices_mail, "claim", racing_claim)
    assert send_pending() == (0, 0)
    assert len(mail.outbox) == 6
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 6


@pytest.mark.django_db
def test_a_failing_mail_server_loses_nothing_and_is_retried(people, settings):
    settings.EMAIL_BACKEND = "tests.notices.test_sending.FailsOnce"
    FailsOnce.failed = False
    invite(people, count=1)
    call_command("send_notifications")
    failed = Notification.objects.get(email_state="pending")
    assert failed.attempts == 1
    assert "SMTP-сервер недоступен" in failed.last_error
    assert len(mail.outbox) == 1
    call_command("send_notifications")
    failed.refresh_from_db()
    assert failed.email_state == "sent"
    assert failed.attempts == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_sender_is_taken_over(people):
    invite(people, count=1)
    call_command("send_notifications", "--no-mail")
    Notification.objects.filter(email_state="pending").update(
        email_state="sending", claimed_at=timezone.now()
    )
    send_pending()
    assert len(mail.outbox) == 0  # another sender may still be at work
    send_pending(now=timezone.now() + timedelta(minutes=16))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_kind_turned_off_stays_in_the_portal_without_a_letter(people):
    EmailOptOut.objects.create(user=people.school, kind=Kind.EVENT_INVITATION)
    people.curator.email = ""
    people.curator.save()
    invite(people, count=1)
    call_command("send_notifications")
    assert len(mail.outbox) == 0
    invitations = Notification.objects.filter(kind=Kind.EVENT_INVITATION)
    assert set(invitations.values_list("recipient__username", "email_state")) == {
        ("school", "skipped"),
        ("curator", "skipped"),
    }


@pytest.mark.django_db
def test_the_command_says_what_it_did(people, capsys):
    invite(people, count=1)
    call_command("send_notifications")
    # Two invitations and three coordinators' quiet digests; letters for the invitations only.
    assert "Новых уведомлений: 5; писем отправлено: 2; не отправлено: 0." in capsys.readouterr().out
