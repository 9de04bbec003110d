"""The letters of a run are claimed, read and marked sent a batch at a time: the queries of a
run do not grow with the number of letters, and each letter still goes once."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.notices_round import build
from notices.mail import claim, send_pending
from notices.models import Notification
from notices.rounds import Round


def sending(schools):
    """(letters waiting, letters sent, queries of the run) for the benchmark's program of
    `schools` schools after its first round, every letter in one batch."""
    with transaction.atomic():
        build(schools)
        Round().run()
        waiting = Notification.objects.filter(email_state="pending").count()
        mail.outbox = []
        with CaptureQueriesContext(connection) as queries:
            sent, failed = send_pending(batch=10_000)
        assert failed == 0
        assert len(mail.outbox) == sent
        assert len({(m.to[0], m.subject, m.body) for m in mail.outbox}) == sent
        assert not Notification.objects.filter(email_state="pending").exists()
        transaction.set_rollback(True)
    return waiting, sent, len(queries)


@pytest.mark.django_db
def test_a_run_costs_the_same_queries_for_5_and_50_schools():
    small, large = sending(5), sending(50)
    assert small[0] == small[1] > 10
    assert large[0] == large[1] > 10 * small[1] - 10
    # The waiting notices listed; claimed in one update; read with their recipients; marked
    # sent in one update; the listing again, which finds nothing more.
    assert small[2] == large[2] == 5


@pytest.mark.django_db
def test_a_claim_takes_only_what_waits_and_only_once():
    build(2)
    Round().run()
    waiting = list(
        Notification.objects.filter(email_state="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = waiting.pop()
    Notification.objects.filter(pk=sent).update(email_state="sent")
    now = timezone.now()
    assert claim(waiting[:3] + [sent], now) == set(waiting[:3])
    # Taken: a second sender gets none of them, and the rest only once.
    assert claim(waiting, now) == set(waiting[3:])
    assert claim(waiting, now) == set()
    assert set(
        Notification.objects.filter(pk__in=waiting).values_list("email_state", flat=True)
    ) == {"sending"}
