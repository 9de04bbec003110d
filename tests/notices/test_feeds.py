"""Calendar feeds: valid iCalendar that reads back, the region's zone, an event that moved
moves in the feed, a wrong or renewed token is refused, nothing outside the owner's reach."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from notices.models import CalendarFeed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(people):
    event = f.EventFactory(
        program=people.program,
        title="ВКС с кураторами",
        starts_at=timezone.now() + timedelta(days=3),
        place="ИМЦ",
    )
    event.invited.add(people.supported_school)
    return event


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def entries(calendar):
    return {str(c["summary"]): c for c in calendar.walk("VEVENT")}


def test_a_persons_feed_holds_their_events_and_deadlines_in_the_regions_zone(people, event, client):
    roadmap = f.RoadmapFactory(program=people.program)
    due = timezone.localdate() + timedelta(days=10)
    item = f.RoadmapItemFactory(
        roadmap=roadmap, title="Разработать ООП", starts_on=None, due_on=due
    )
    item.responsible.add(people.supported_school)
    token = CalendarFeed.of(people.school).token
    calendar = read(client.get(f"/notices/calendar/{token}.ics"))
    found = entries(calendar)
    start = found["ВКС с кураторами"].decoded("dtstart")
    # iCalendar keeps whole seconds.
    assert start == event.starts_at.replace(microsecond=0)
    assert str(start.tzinfo) == "Asia/Yekaterinburg"
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Yekaterinburg"]
    assert b"DTSTART;TZID=Asia/Yekaterinburg:" in calendar.to_ical()
    assert found[f"Срок: {item}"].decoded("dtstart") == due
    # Round trip: what we wrote reads back to the same bytes.
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()


def test_a_moved_event_moves_in_the_feed_under_the_same_uid(people, event, client):
    token = CalendarFeed.of(people.school).token
    before = entries(read(client.get(f"/notices/calendar/{token}.ics")))["ВКС с кураторами"]
    event.starts_at += timedelta(days=1)
    event.save()
    after = entries(read(client.get(f"/notices/calendar/{token}.ics")))["ВКС с кураторами"]
    assert after["uid"] == before["uid"]
    assert after.decoded("dtstart") - before.decoded("dtstart") == timedelta(days=1)


def test_a_wrong_token_is_refused(client, people):
    CalendarFeed.of(people.school)
    assert client.get("/notices/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/notices/calendar/x/program/{people.program.pk}.ics").status_code == 404


def test_a_renewed_token_closes_the_old_address(people, as_user, client):
    old = CalendarFeed.of(people.school).token
    as_user(people.school).post("/notices/settings/calendar/renew/")
    new = CalendarFeed.objects.get(user=people.school).token
    assert new != old
    assert client.get(f"/notices/calendar/{old}.ics").status_code == 404
    assert client.get(f"/notices/calendar/{new}.ics").status_code == 200


def test_a_programs_feed_follows_the_token_owners_access(people, event, client):
    school_token = CalendarFeed.of(people.school).token
    calendar = read(client.get(f"/notices/calendar/{school_token}/program/{people.program.pk}.ics"))
    assert set(entries(calendar)) == {"ВКС с кураторами"}
    outsider_token = CalendarFeed.of(people.outsider).token
    url = f"/notices/calendar/{outsider_token}/program/{people.program.pk}.ics"
    assert client.get(url).status_code == 404
    # The outsider's own feed does not carry the event either.
    assert entries(read(client.get(f"/notices/calendar/{outsider_token}.ics"))) == {}


def test_the_settings_page_gives_the_feed_addresses(people, as_user):
    page = as_user(people.school).get("/notices/settings/").content.decode()
    token = CalendarFeed.objects.get(user=people.school).token
    assert f"/notices/calendar/{token}.ics" in page
    assert f"/notices/calendar/{token}/program/{people.program.pk}.ics" in page
