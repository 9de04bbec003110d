"""Sending the e-mail of stored notices, each exactly once.

A sender claims notices by moving them from «ждёт отправки» to «отправляется» with a
conditional update, a batch at a time; only the process whose update changed a row sends it
(the update returns the rows it changed), so two senders
(two cron runs overlapping, two servers) never send one notice twice. A failing mail server
puts the notice back to «ждёт отправки» with the error, and the next round tries again; a claim
left by a process that died is taken over after `Notification.CLAIM_TIMEOUT`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as database
from django.db.models import F
from django.db.models.sql import UpdateQuery
from django.urls import reverse
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)
BATCH = 200


def claim(pks, now):
    """Take these notices for sending: the ids of those this process got, leaving out any
    another process holds or has sent. One conditional update of the batch (`mail_due`), each
    row taken by exactly one writer, which learns which rows were its own from the update
    itself (`RETURNING`): a run of tens of thousands of letters no longer writes, and commits,
    a claim per letter."""
    pks = list(pks)
    if not pks:
        return set()
    rows = Notification.objects.mail_due(now).filter(pk__among=pks).order_by()
    query = rows.query.chain(UpdateQuery)
    query.add_update_values({"email_state": Notification.EmailState.SENDING, "claimed_at": now})
    sql, params = query.get_compiler(rows.db).as_sql()
    pk = database.ops.quote_name(Notification._meta.pk.column)
    with database.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {pk}", params)
        return {found for (found,) in cursor.fetchall()}


def message(notification):
    link = f"{settings.PORTAL_URL.rstrip('/')}{notification.url}" if notification.url else ""
    body = notification.body
    if link:
        body += f"\n\nОткрыть на портале: {link}"
    body += (
        "\n\n—\nПортал адресной поддержки школ. Какие уведомления приходят письмом, "
        f"можно выбрать в настройках: {settings.PORTAL_URL.rstrip('/')}{reverse('notices:settings')}"
    )
    return EmailMessage(
        subject=notification.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
    )


def send_pending(now=None, batch=BATCH):
    """Send everything that waits, in batches of `batch` notices through one connection to the
    mail server, opened once and kept open for the whole run; returns (sent, failed).

    Each notice is claimed before its letter goes; a batch's notices are claimed in one update,
    read in one query and marked sent in one. The letters go one `send_messages` call each,
    through the connection already open (SMTP sends a list letter by letter all the same): a
    server that fails in the middle of a batch does not say which letters it took, and a letter
    must go exactly once. A notice that fails waits for the next run; the letters of a batch a
    dying process sent but did not mark stay claimed, and go again after
    `Notification.CLAIM_TIMEOUT`."""
    now = now or timezone.now()
    sent = failed = 0
    connection = None
    last = 0
    try:
        while True:
            ids = list(
                Notification.objects.mail_due(now)
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                break
            last = ids[-1]
            claimed = claim(ids, now)
            if not claimed:
                continue
            if connection is None:
                connection = get_connection(fail_silently=False)
                try:
                    connection.open()
                except Exception as error:  # the server is down: everything waits for later
                    log.warning("Почтовый сервер недоступен: %s", error)
                    connection = None
                    Notification.objects.filter(pk__in=claimed).update(
                        email_state=Notification.EmailState.PENDING,
                        claimed_at=None,
                        attempts=F("attempts") + 1,
                        last_error=str(error)[:1000],
                    )
                    failed += len(claimed)
                    break
            done = []
            for notification in (
                Notification.objects.filter(pk__in=claimed)
                .select_related("recipient")
                .order_by("pk")
            ):
                try:
                    connection.send_messages([message(notification)])
                except Exception as error:  # any failure of the mail server: keep it for later
                    log.warning("Письмо уведомления %s не отправлено: %s", notification.pk, error)
                    Notification.objects.filter(pk=notification.pk).update(
                        email_state=Notification.EmailState.PENDING,
                        claimed_at=None,
                        attempts=F("attempts") + 1,
                        last_error=str(error)[:1000],
                    )
                    failed += 1
                else:
                    done.append(notification.pk)
            if done:
                Notification.objects.filter(pk__in=done).update(
                    email_state=Notification.EmailState.SENT,
                    sent_at=timezone.now(),
                    attempts=F("attempts") + 1,
                    last_error="",
                )
                sent += len(done)
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not lose the counts
                log.warning("Соединение с почтовым сервером не закрылось", exc_info=True)
    return sent, failed
