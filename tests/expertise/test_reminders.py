"""Reviewers are reminded of their deadlines once a day, and never of a decided sheet."""

import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from expertise import services
from expertise.models import Assignment


def test_a_due_sheet_is_reminded_once_a_day(review_world):
    review_world.peer.email = "peer@school.ru"
    review_world.peer.save()
    review_world.expert.email = "expert@imc.ru"
    review_world.expert.save()
    today = timezone.localdate()
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
    out = io.StringIO()
    call_command("remind_reviewers", stdout=out)
    assert [m.to for m in mail.outbox] == [["peer@school.ru"]]
    assert "Напоминаний отправлено: 1." in out.getvalue()
    call_command("remind_reviewers", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    soon.refresh_from_db()
    assert soon.reminded_on == today
