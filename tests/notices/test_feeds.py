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


def test_the_feed_holds_the_entry_deadline_of_a_point_open_for_the_schools_values(people, client):
    from datetime import date

    from programs.models import Participant

    # The world's supported school takes part in the program as a supported school.
    assert people.program.participants.filter(
        organization=people.supported_school, role=Participant.Role.SUPPORTED
    ).exists()
    deadline = timezone.localdate() + timedelta(days=9)
    point = f.MonitoringPointFactory(
        program=people.program,
        title="Второй срок мониторинга",
        date=timezone.localdate(),
        entry_deadline=deadline,
    )
    f.MonitoringPointFactory(
        program=people.program,
        title="Закрытый срок",
        date=date(2023, 5, 31),
        entry_deadline=date(2023, 6, 10),
    )
    found = entries(
        read(client.get(f"/notices/calendar/{CalendarFeed.of(people.school).token}.ics"))
    )
    entry = found[f"Приём значений до конца дня: {point.title}"]
    assert entry.decoded("dtstart") == deadline
    assert point.get_absolute_url() in str(entry["url"])
    assert not any("Закрытый срок" in summary for summary in found)
    # The outsider's school takes no part in the program: no deadline of it in their feed.
    outsider = entries(
        read(client.get(f"/notices/calendar/{CalendarFeed.of(people.outsider).token}.ics"))
    )
    assert not any(point.title in summary for summary in outsider)


def test_the_feed_holds_the_deadline_of_a_sheet_waiting_for_the_reviewers_verdict(people, client):
    from expertise import services
    from expertise.models import Assignment, ExpertiseRound
    from programs.models import Document
    from schools.models import Membership

    center = f.OrganizationFactory(
        municipality=people.municipality, kind="methodical_center", short_name="МКУ «ИМЦ»"
    )
    expert = f.UserFactory(username="expert")
    f.MembershipFactory(user=expert, organization=center, role=Membership.Role.STAFF)
    document = f.DocumentFactory(
        program=people.program,
        organization=people.supported_school,
        status=Document.Status.SUBMITTED,
        version=1,
        title="Антирисковая программа",
    )
    due = timezone.localdate() + timedelta(days=6)
    round_ = ExpertiseRound.objects.create(program=people.program, title="Тур", due_on=due)
    sheet = services.assign(
        document, expert, role=Assignment.Role.EXPERT, round=round_, organization=center
    )
    found = entries(read(client.get(f"/notices/calendar/{CalendarFeed.of(expert).token}.ics")))
    entry = found["Срок экспертизы: Антирисковая программа"]
    assert entry.decoded("dtstart") == sheet.due_on == due
    assert "ждёт вашего заключения" in str(entry["description"])
    # Once the verdict is given, the deadline leaves the feed.
    Assignment.objects.filter(pk=sheet.pk).update(
        verdict=Assignment.Verdict.PASSED, decided_at=timezone.now()
    )
    found = entries(read(client.get(f"/notices/calendar/{CalendarFeed.of(expert).token}.ics")))
    assert "Срок экспертизы: Антирисковая программа" not in found


def test_a_schools_feed_reads_its_own_part_of_a_shared_item(people, client):
    """An item of the program's roadmap carried out by two schools: the one that did its part
    no longer has the deadline in its feed (nor does its curator), though the item is still
    under way overall; the other school's feed keeps it, with its own part's state."""
    from programs.models import Participant
    from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
    from schools.models import Membership

    other = f.OrganizationFactory(
        municipality=people.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    f.ParticipantFactory(
        program=people.program, organization=other, role=Participant.Role.SUPPORTED
    )
    other_staff = f.UserFactory(username="other_staff")
    f.MembershipFactory(user=other_staff, organization=other, role=Membership.Role.STAFF)
    roadmap = f.RoadmapFactory(program=people.program, level=Roadmap.Level.PROGRAM)
    today = people.program.local_today()
    item = f.RoadmapItemFactory(
        roadmap=roadmap,
        title="Верификация факторов риска",
        starts_on=None,
        due_on=today + timedelta(days=5),
    )
    item.responsible.add(people.supported_school, other)
    ItemExecution.objects.get(item=item, organization=people.supported_school).set_status(
        RoadmapItem.Status.DONE, today=today
    )
    ItemExecution.objects.get(item=item, organization=other).set_status(RoadmapItem.Status.PLANNED)
    item.derive_status()
    item.save()
    assert item.status == RoadmapItem.Status.IN_PROGRESS

    def feed(user):
        return entries(read(client.get(f"/notices/calendar/{CalendarFeed.of(user).token}.ics")))

    summary = f"Срок: {item}"
    assert summary not in feed(people.school)
    assert summary not in feed(people.curator)
    behind = feed(other_staff)[summary]
    assert behind.decoded("dtstart") == item.due_on
    assert "Состояние: запланировано." in str(behind["description"])
