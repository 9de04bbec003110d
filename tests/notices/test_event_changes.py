"""An event's change is told from the notices that promised otherwise: a round reads only the
notices of people whose notices differ from what the event now says, and tells each of them
what their latest notice no longer holds — also when the event comes back to what it was."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notices.models import Kind, Notification
from tests import factories as f

from .helpers import round_at, told

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(people):
    event = f.EventFactory(
        program=people.program,
        title="Вебинар",
        starts_at=timezone.now() + timedelta(days=10),
        place="ИМЦ",
    )
    event.invited.add(people.supported_school)
    return event


def test_an_event_moved_and_moved_back_is_told_both_times(event):
    now = timezone.now()
    round_at(now)
    start = event.starts_at
    event.starts_at = start + timedelta(days=1)
    event.save()
    round_at(now + timedelta(minutes=5))
    # Back to the invitation's time: the latest notice (the change) no longer holds.
    event.starts_at = start
    event.save()
    round_at(now + timedelta(minutes=10))
    round_at(now + timedelta(minutes=15))
    changes = Notification.objects.filter(kind=Kind.EVENT_CHANGED).order_by("occasion")
    assert list(changes.values_list("recipient__username", "occasion")) == [
        ("school", "1"),
        ("school", "2"),
    ]


def test_only_those_whose_latest_notice_differs_are_told(event, people):
    now = timezone.now()
    round_at(now)
    event.place = "Онлайн"
    event.save()
    # A colleague invited after the change got an invitation that already says «Онлайн».
    colleague = f.MembershipFactory(organization=people.supported_school).user
    round_at(now + timedelta(minutes=5))
    assert told(Kind.EVENT_INVITATION) == {"school", colleague.username}
    assert told(Kind.EVENT_CHANGED) == {"school"}
    round_at(now + timedelta(minutes=10))
    assert Notification.objects.filter(kind=Kind.EVENT_CHANGED).count() == 1
