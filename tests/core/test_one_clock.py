"""One moment reads the same on every kind of page: on the clock of the program's region, or,
for what belongs to no program, of the person's organization's region — named in Russian,
never as «Asia/Yekaterinburg»."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from core import timezones
from notices.models import CalendarFeed, Invitation, Kind, Notification
from notices.service import run_round
from roadmaps.models import ItemReport
from tests import factories as f

pytestmark = pytest.mark.django_db

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


@pytest.fixture
def moment():
    # Ahead, so the feeds (which skip what is long past) carry it too; 14:15 UTC is 19:15 in
    # the world's region and 17:15 on the server's clock (Europe/Moscow).
    day = timezone.now().date() + datetime.timedelta(days=10)
    return datetime.datetime.combine(day, datetime.time(14, 15), tzinfo=datetime.UTC)


@pytest.fixture
def local_text(moment):
    return f"{moment.astimezone(YEKATERINBURG):%d.%m.%Y} 19:15"


def test_the_formatting_rule_writes_a_moment_on_the_named_clock(moment, local_text):
    assert timezones.moment(moment, "Asia/Yekaterinburg") == local_text
    assert timezones.moment_with_clock(moment, "Asia/Yekaterinburg") == (
        f"{local_text} (время екатеринбургское, UTC+5)"
    )
    assert timezones.moment(None) == ""


def test_the_filter_reads_the_active_clock(moment, local_text):
    template = Template("{% load portal %}{{ when|moment }} · {% clock %}")
    with timezone.override(YEKATERINBURG):
        assert template.render(Context({"when": moment})) == (
            f"{local_text} · время екатеринбургское, UTC+5"
        )


def test_the_same_moment_reads_the_same_on_every_page(world, as_user, moment, local_text):
    event = f.EventFactory(program=world.program, title="Семинар", starts_at=moment)
    event.invited.add(world.supported_school)
    roadmap = f.RoadmapFactory(program=world.program, organization=world.supported_school)
    item = f.RoadmapItemFactory(roadmap=roadmap)
    ItemReport.objects.create(
        item=item, author=world.school, status="in_progress", text="Сделано", created_at=moment
    )
    Notification.objects.create(
        recipient=world.school,
        kind=Kind.choices[0][0],
        content_type_id=_program_type(),
        object_id=world.program.pk,
        title="Проверка часов",
        created_at=moment,
    )
    Invitation.objects.create(
        user=f.UserFactory(),
        organization=world.supported_school,
        invited_by=world.coordinator,
        sent_at=moment,
        sent_count=1,
    )
    school, coordinator = as_user(world.school), as_user(world.coordinator)
    pages = {
        "event": school.get(event.get_absolute_url()),
        "events": coordinator.get(reverse("roadmaps:events", args=[world.program.pk])),
        "calendar": school.get(
            reverse("roadmaps:calendar", args=[world.program.pk]) + f"?month={moment:%Y-%m}"
        ),
        "item": school.get(item.get_absolute_url()),
        "notices": school.get(reverse("notices:list")),
        "invitations": coordinator.get(reverse("notices:invitations")),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        # The calendar shows the hour under its day.
        assert (local_text if name != "calendar" else "19:15") in html, name
        assert "17:15" not in html, name
        assert "Asia/" not in html, name
    assert "время екатеринбургское, UTC+5" in pages["event"].content.decode()
    assert "время екатеринбургское, UTC+5" in pages["events"].content.decode()

    # The invitation's letter, made by the notification round, says the same time.
    run_round(now=timezone.now(), mail=False)
    letters = Notification.objects.filter(kind=Kind.EVENT_INVITATION).exclude(
        title="Проверка часов"
    )
    assert letters
    for letter in letters:
        assert f"{local_text} (время екатеринбургское, UTC+5)" in letter.body
        assert "Asia/" not in letter.body

    token = CalendarFeed.of(world.school).token
    feed = school.get(reverse("notices:feed", args=[token])).content.decode()
    assert (
        f"DTSTART;TZID=Asia/Yekaterinburg:{moment.astimezone(YEKATERINBURG):%Y%m%d}T191500" in feed
    )
    assert "BEGIN:VTIMEZONE" in feed


def test_a_report_names_its_clock_in_russian(world, as_user):
    response = as_user(world.coordinator).get(
        reverse("reports:report", args=["passport", world.program.pk])
    )
    html = response.content.decode()
    assert "(время екатеринбургское, UTC+5)" in html
    assert "Asia/" not in html


def test_a_person_outside_any_region_reads_the_server_clock(world, as_user, moment, settings):
    lonely = f.UserFactory()
    Notification.objects.create(
        recipient=lonely,
        kind=Kind.choices[0][0],
        content_type_id=_program_type(),
        object_id=world.program.pk,
        title="Проверка часов",
        created_at=moment,
    )
    html = as_user(lonely).get(reverse("notices:list")).content.decode()
    assert f"{moment.astimezone(ZoneInfo(settings.TIME_ZONE)):%d.%m.%Y %H:%M}" in html


def _program_type():
    from django.contrib.contenttypes.models import ContentType

    from programs.models import Program

    return ContentType.objects.get_for_model(Program).pk
