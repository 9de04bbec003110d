"""Reviewers are reminded of an undecided sheet by the notification round: three days before its
deadline and once more when it has passed, each once, and never of a decided sheet or of a
version the document has moved on from."""

import datetime

from django.core import mail
from django.utils import timezone

from expertise import services
from expertise.models import Assignment
from notices.models import Kind, Notification
from notices.service import run_round


def reminders(user):
    return list(
        Notification.objects.filter(kind=Kind.SHEET_DUE, recipient=user)
        .order_by("created_at", "occasion")
        .values_list("title", "occasion")
    )


def test_a_due_sheet_is_told_once_and_once_more_when_late(review_world):
    review_world.peer.email = "peer@school.ru"
    review_world.peer.save()
    now = timezone.now()
    today = review_world.world.program.local_today(now)
    soon = services.assign(
        review_world.document,
        review_world.peer,
        role=Assignment.Role.MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
        due_on=today + datetime.timedelta(days=2),
    )
    services.assign(
        review_world.document,
        review_world.expert,
        role=Assignment.Role.EXPERT,
        round=review_world.round,
        due_on=today + datetime.timedelta(days=30),
    )
    run_round(now=now)
    title = f"Срок экспертизы: {review_world.document}"
    assert reminders(review_world.peer) == [(title, f"due:{soon.due_on.isoformat()}")]
    assert reminders(review_world.expert) == []
    assert [m.to for m in mail.outbox] == [["peer@school.ru"]]
    assert f"Экспертный лист документа «{review_world.document.title}» нужно заполнить до" in (
        mail.outbox[0].body
    )

    run_round(now=now + datetime.timedelta(hours=1))
    assert len(reminders(review_world.peer)) == 1 and len(mail.outbox) == 1

    later = now + datetime.timedelta(days=3)
    run_round(now=later)
    assert reminders(review_world.peer)[-1] == (
        f"Просрочена экспертиза: {review_world.document}",
        f"late:{soon.due_on.isoformat()}",
    )


def test_a_decided_sheet_or_an_old_version_is_not_reminded(review_world):
    today = review_world.world.program.local_today(timezone.now())
    decided = services.assign(
        review_world.document,
        review_world.peer,
        role=Assignment.Role.MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
        due_on=today + datetime.timedelta(days=1),
    )
    Assignment.objects.filter(pk=decided.pk).update(
        verdict=Assignment.Verdict.PASSED, decided_at=timezone.now()
    )
    services.assign(
        review_world.document,
        review_world.expert,
        role=Assignment.Role.EXPERT,
        round=review_world.round,
        due_on=today + datetime.timedelta(days=1),
    )
    # The school sends a new version: the expert's sheet of the old one is not theirs to fill.
    type(review_world.document).objects.filter(pk=review_world.document.pk).update(version=2)
    run_round(now=timezone.now())
    assert reminders(review_world.peer) == [] and reminders(review_world.expert) == []
