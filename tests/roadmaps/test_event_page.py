"""The event page: when (in the region's time zone), who was invited, who came."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    # 10:00 in Surgut (Asia/Yekaterinburg, UTC+5) is 05:00 UTC.
    starts = datetime.datetime(2023, 3, 15, 10, 0, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    event = f.EventFactory(program=world.program, title="Семинар для кураторов", starts_at=starts)
    event.invited.add(world.supported_school, world.curator_school)
    f.AttendanceFactory(event=event, organization=world.supported_school, people_count=3)
    return event


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("region", 200),
        ("coordinator", 200),
        ("other_coordinator", 404),
        ("curator", 200),
        ("school", 200),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_event_page_answers_each_person(world, event, as_user, person, status):
    user = world.people[person] if person else None
    response = as_user(user).get(event.get_absolute_url())
    assert response.status_code == status
    if person is None:
        assert response["Location"].startswith("/accounts/login/?next=")


def test_times_are_shown_in_the_regions_time_zone(world, event, as_user):
    page = as_user(world.school).get(event.get_absolute_url()).content.decode()
    assert "15.03.2023 10:00" in page
    assert "время екатеринбургское, UTC+5" in page
    assert "Asia/Yekaterinburg" not in page


def test_the_page_says_who_was_invited_and_who_came(world, event, as_user):
    response = as_user(world.school).get(event.get_absolute_url())
    rows = {org.short_name: attendance for org, attendance in response.context["rows"]}
    assert rows[world.supported_school.short_name].people_count == 3
    assert rows[world.curator_school.short_name] is None
    assert "Участвовали: 1 из 2." in response.content.decode()


def test_only_coordinators_get_the_edit_and_attendance_buttons(world, event, as_user):
    attendance_url = f"/roadmaps/events/{event.pk}/attendance/"
    assert (
        attendance_url in as_user(world.coordinator).get(event.get_absolute_url()).content.decode()
    )
    assert (
        attendance_url not in as_user(world.school).get(event.get_absolute_url()).content.decode()
    )


def test_event_page_queries_do_not_grow_with_invitations(world, event, as_user):
    client = as_user(world.coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(event.get_absolute_url()).status_code == 200
        return len(queries)

    few = count()
    for _ in range(20):
        school = f.OrganizationFactory(municipality=world.municipality)
        event.invited.add(school)
        f.AttendanceFactory(event=event, organization=school)
    assert count() == few
