"""Event notices: an invitation, reminders 7 days and 1 day before, a change, a cancellation —
to the invited organizations' staff, and never to anyone who does not see the event."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notices.models import Kind, Notification
from tests import factories as f

from .helpers import round_at, told

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(people):
    event = f.EventFactory(
        program=people.program,
        title="Семинар «Школа полного дня»",
        starts_at=timezone.now() + timedelta(days=7, hours=13),
        place="ИМЦ, ауд. 12",
    )
    # The outsider's school is invited to a program it does not take part in: it does not see
    # the event, so its staff are told nothing.
    event.invited.add(people.supported_school, people.outsider_school)
    return event


def test_the_invited_schools_staff_get_an_invitation_and_nobody_else(event):
    round_at(timezone.now())
    assert told(Kind.EVENT_INVITATION) == {"school"}
    notice = Notification.objects.get(kind=Kind.EVENT_INVITATION)
    assert notice.subject == event
    assert notice.url == event.get_absolute_url()
    # Times are the region's (Asia/Yekaterinburg in the world fixture), the clock named in
    # Russian, never by its IANA name.
    local = timezone.localtime(event.starts_at, timezone.get_fixed_timezone(5 * 60))
    assert f"{local:%d.%m.%Y %H:%M} (время екатеринбургское, UTC+5)" in notice.body
    assert "Asia/" not in notice.body + notice.title


def test_a_second_round_creates_nothing(event):
    now = timezone.now()
    # The invitation, and the three coordinators' (quiet) weekly digests.
    assert round_at(now)[0] == 4
    assert round_at(now)[0] == 0
    assert Notification.objects.filter(kind=Kind.EVENT_INVITATION).count() == 1


def test_a_reminder_comes_7_days_and_1_day_before(event):
    start = event.starts_at
    round_at(start - timedelta(days=7, hours=13))
    round_at(start - timedelta(days=7, hours=1))  # not yet within 7 days
    assert told(Kind.EVENT_REMINDER) == set()
    round_at(start - timedelta(days=6, hours=23))
    round_at(start - timedelta(days=6, hours=20))
    assert told(Kind.EVENT_REMINDER, occasion__startswith="7:") == {"school"}
    round_at(start - timedelta(hours=20))
    assert told(Kind.EVENT_REMINDER, occasion__startswith="1:") == {"school"}
    assert Notification.objects.filter(kind=Kind.EVENT_REMINDER).count() == 2


def test_no_reminder_follows_a_fresh_invitation(people):
    """An event created 6 days ahead: the invitation says it all, a 7-day reminder would repeat."""
    event = f.EventFactory(program=people.program, starts_at=timezone.now() + timedelta(days=6))
    event.invited.add(people.supported_school)
    round_at(timezone.now())
    round_at(timezone.now() + timedelta(hours=1))
    assert told(Kind.EVENT_INVITATION) == {"school"}
    assert told(Kind.EVENT_REMINDER) == set()


def test_a_moved_event_is_told_again_once(event):
    now = timezone.now()
    round_at(now)
    event.starts_at += timedelta(days=2)
    event.save()
    round_at(now + timedelta(minutes=5))
    round_at(now + timedelta(minutes=10))
    assert told(Kind.EVENT_CHANGED) == {"school"}
    change = Notification.objects.get(kind=Kind.EVENT_CHANGED)
    assert (
        f"{timezone.localtime(event.starts_at, timezone.get_fixed_timezone(300)):%d.%m.%Y}"
        in change.body
    )
    # Moved again: a second change notice.
    event.place = "Онлайн"
    event.save()
    round_at(now + timedelta(minutes=15))
    assert Notification.objects.filter(kind=Kind.EVENT_CHANGED).count() == 2


def test_a_deleted_event_is_told_as_cancelled(event):
    now = timezone.now()
    round_at(now)
    event.delete()
    round_at(now + timedelta(minutes=5))
    round_at(now + timedelta(minutes=10))
    assert told(Kind.EVENT_CANCELLED) == {"school"}
    cancelled = Notification.objects.get(kind=Kind.EVENT_CANCELLED)
    assert "Школа полного дня" in cancelled.title
    assert "(время екатеринбургское, UTC+5)" in cancelled.body


def test_the_email_of_an_invitation_is_sent(event):
    round_at(timezone.now(), mail=True)
    assert [m.to for m in mail.outbox] == [["school@example.ru"]]
    assert "Семинар «Школа полного дня»" in mail.outbox[0].subject
    assert event.get_absolute_url() in mail.outbox[0].body


def test_a_colleague_does_not_inherit_what_an_expert_sees(people):
    """Staff of one school share their access, except what a person sees as an assigned
    expert: the expert is invited to an event of a program they review, their colleague is
    not."""
    from programs.models import Review

    colleague = f.UserFactory(username="colleague")
    f.MembershipFactory(user=colleague, organization=people.outsider_school)
    document = f.DocumentFactory(program=people.program, organization=people.supported_school)
    Review.objects.create(document=document, reviewer=people.outsider)
    event = f.EventFactory(program=people.program, starts_at=timezone.now() + timedelta(days=9))
    event.invited.add(people.outsider_school)
    round_at(timezone.now())
    assert told(Kind.EVENT_INVITATION) == {"outsider"}
