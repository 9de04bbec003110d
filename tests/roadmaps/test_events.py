"""Events: the form (times in the region's zone), invitations, attendance, list and calendar."""

import datetime
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from roadmaps.models import Attendance, Event, Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# The world's region is in Asia/Yekaterinburg, UTC+5.
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


def event_data(**changes):
    data = {
        "title": "Семинар по обмену опытом",
        "kind": Event.Kind.SEMINAR,
        "level": Event.Level.MUNICIPAL,
        "is_exchange": "on",
        "starts_at": "2023-05-10T10:00",
        "ends_at": "2023-05-10T12:30",
    }
    data.update(changes)
    return data


def test_an_event_is_entered_in_the_regions_time(world, as_user):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:event_create", args=[world.program.pk]),
        event_data(invited=[world.supported_school.pk]),
    )
    event = Event.objects.get()
    assert response.url == reverse("roadmaps:events", args=[world.program.pk])
    assert event.starts_at == datetime.datetime(2023, 5, 10, 5, 0, tzinfo=UTC)
    assert list(event.invited.all()) == [world.supported_school]
    listed = as_user(world.coordinator).get(reverse("roadmaps:events", args=[world.program.pk]))
    assert "10.05.2023 10:00" in listed.content.decode()


def test_a_new_event_is_a_seminar_unless_changed(world, as_user):
    client = as_user(world.coordinator)
    html = client.get(reverse("roadmaps:event_create", args=[world.program.pk])).content.decode()
    assert re.search(r'<option value="seminar"[^>]*selected>семинар</option>', html)
    assert '<option value="" ' not in html.split('name="kind"')[1].split("</select>")[0]
    data = event_data()
    data.pop("kind")
    response = client.post(reverse("roadmaps:event_create", args=[world.program.pk]), data)
    # Leaving the list as it was offered is not allowed by the browser; a request without a
    # kind at all is still a form error, never a silent default.
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()


def test_all_supported_schools_are_invited_by_default(world, as_user):
    client = as_user(world.coordinator)
    response = client.get(reverse("roadmaps:event_create", args=[world.program.pk]))
    assert response.context["form"].initial["invite_supported"] is True
    client.post(
        reverse("roadmaps:event_create", args=[world.program.pk]),
        event_data(invite_supported="on", invited=[world.curator_school.pk]),
    )
    event = Event.objects.get()
    assert set(event.invited.all()) == {world.supported_school, world.curator_school}
    # Editing shows the box ticked and only the others as chosen.
    edit = client.get(reverse("roadmaps:event_edit", args=[event.pk]))
    assert edit.context["form"].initial["invite_supported"] is True
    assert edit.context["form"].initial["invited"] == [world.curator_school.pk]


def test_an_event_that_ends_before_it_starts_is_refused_beside_the_end(world, as_user):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:event_create", args=[world.program.pk]),
        event_data(ends_at="2023-05-10T09:00"),
    )
    assert response.context["form"].errors["ends_at"] == [
        "Окончание события не может быть раньше начала."
    ]
    assert not Event.objects.exists()


def test_an_event_refuses_an_item_of_another_program_and_a_bad_link(world, as_user):
    foreign_item = f.RoadmapItemFactory()
    response = as_user(world.coordinator).post(
        reverse("roadmaps:event_create", args=[world.program.pk]),
        event_data(item=foreign_item.pk, link="не ссылка"),
    )
    errors = response.context["form"].errors
    assert "Выберите корректный вариант" in errors["item"][0]
    assert errors["link"] == ["Введите правильный URL."]
    assert not Event.objects.exists()


def test_an_event_is_tied_to_an_item_of_the_program(world, as_user):
    item = f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program))
    as_user(world.coordinator).post(
        reverse("roadmaps:event_create", args=[world.program.pk]), event_data(item=item.pk)
    )
    assert Event.objects.get().item == item


@pytest.fixture
def national(world):
    """A federal program owned by the region's ministry, with a school roadmap in the region
    and one in another region, which the ministry's coordinator sets up but does not see."""
    program = f.ProgramFactory(
        owner=world.ministry, level=Program.Level.FEDERAL, region=None, municipality=None
    )
    far_school = f.OrganizationFactory(short_name="МКОУ «Дальняя СОШ»")
    near = f.RoadmapFactory(
        program=program, level=Roadmap.Level.SCHOOL, organization=world.supported_school
    )
    far = f.RoadmapFactory(
        program=program,
        level=Roadmap.Level.SCHOOL,
        organization=far_school,
        title="Дорожная карта дальней школы",
    )
    return SimpleNamespace(
        program=program,
        near_item=f.RoadmapItemFactory(roadmap=near, title="Самоанализ Русскинской СОШ"),
        far_item=f.RoadmapItemFactory(roadmap=far, title="Самоанализ дальней школы"),
    )


def test_the_event_form_offers_only_the_items_the_coordinator_sees(world, as_user, national):
    client = as_user(world.region_coordinator)
    assert client.get(national.far_item.get_absolute_url()).status_code == 404
    url = reverse("roadmaps:event_create", args=[national.program.pk])
    response = client.get(url)
    assert list(response.context["form"].fields["item"].queryset) == [national.near_item]
    assert "Самоанализ дальней школы" not in response.content.decode()
    response = client.post(url, event_data(item=national.far_item.pk))
    assert "Выберите корректный вариант" in response.context["form"].errors["item"][0]
    assert not Event.objects.exists()


@pytest.fixture
def held(world):
    event = f.EventFactory(
        program=world.program, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    event.invited.add(world.supported_school, world.curator_school)
    return event


def attendance_data(rows):
    data = {
        "attendance-TOTAL_FORMS": str(len(rows)),
        "attendance-INITIAL_FORMS": str(len(rows)),
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"attendance-{index}-{key}"] = value
    return data


def test_the_attendance_form_lists_every_invited_organization(world, as_user, held):
    response = as_user(world.coordinator).get(reverse("roadmaps:attendance", args=[held.pk]))
    listed = {org.short_name for _, org in response.context["rows"]}
    assert listed == {world.supported_school.short_name, world.curator_school.short_name}


def test_attendance_is_marked_and_unmarked(world, as_user, held):
    url = reverse("roadmaps:attendance", args=[held.pk])
    client = as_user(world.coordinator)
    client.post(
        url,
        attendance_data(
            [
                {"organization": world.supported_school.pk, "present": "on", "people_count": "3"},
                {"organization": world.curator_school.pk, "people_count": ""},
            ]
        ),
    )
    assert list(Attendance.objects.values_list("organization", "people_count")) == [
        (world.supported_school.pk, 3)
    ]
    client.post(
        url,
        attendance_data(
            [
                {"organization": world.supported_school.pk},
                {"organization": world.curator_school.pk, "present": "on", "people_count": "2"},
            ]
        ),
    )
    assert list(Attendance.objects.values_list("organization", "people_count")) == [
        (world.curator_school.pk, 2)
    ]


def test_a_present_school_without_a_count_is_refused_beside_the_count(world, as_user, held):
    response = as_user(world.coordinator).post(
        reverse("roadmaps:attendance", args=[held.pk]),
        attendance_data(
            [
                {"organization": world.supported_school.pk, "present": "on", "people_count": ""},
                {"organization": world.curator_school.pk, "present": "on", "people_count": "0"},
            ]
        ),
    )
    forms = response.context["formset"].forms
    assert forms[0].errors["people_count"] == ["Укажите, сколько человек участвовало."]
    assert forms[1].errors["people_count"] == ["Не меньше 1 участника."]
    assert "Укажите, сколько человек участвовало." in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_is_not_marked_before_the_event_and_not_for_the_uninvited(world, as_user):
    coming = f.EventFactory(program=world.program)
    coming.invited.add(world.supported_school)
    response = as_user(world.coordinator).post(
        reverse("roadmaps:attendance", args=[coming.pk]),
        attendance_data(
            [{"organization": world.supported_school.pk, "present": "on", "people_count": "1"}]
        ),
    )
    assert response.context["formset"].non_form_errors() == [
        "Участие отмечается после начала события."
    ]
    past = f.EventFactory(
        program=world.program, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    forged = as_user(world.coordinator).post(
        reverse("roadmaps:attendance", args=[past.pk]),
        attendance_data(
            [{"organization": world.outsider_school.pk, "present": "on", "people_count": "1"}]
        ),
    )
    assert forged.status_code == 200
    assert not Attendance.objects.exists()


def test_the_calendar_puts_an_event_on_its_local_day(world, as_user):
    # 21:30 UTC on 10 May is 02:30 on 11 May in Yekaterinburg.
    event = f.EventFactory(
        program=world.program,
        title="Поздний вебинар",
        starts_at=datetime.datetime(2023, 5, 10, 21, 30, tzinfo=UTC),
    )
    response = as_user(world.school).get(
        reverse("roadmaps:calendar", args=[world.program.pk]), {"month": "2023-05"}
    )
    days = {
        day["date"]: [e.title for e in day["events"]]
        for week in response.context["weeks"]
        for day in week
    }
    assert days[datetime.date(2023, 5, 11)] == [event.title]
    assert days[datetime.date(2023, 5, 10)] == []
    assert response.context["month_title"] == "Май 2023"
    # Monday first: the grid starts on Monday 1 May 2023.
    assert response.context["weeks"][0][0]["date"] == datetime.date(2023, 5, 1)
    assert "02:30" in response.content.decode()


def test_the_event_list_filters_and_exports(world, as_user):
    f.EventFactory(program=world.program, title="Вебинар", kind=Event.Kind.WEBINAR)
    f.EventFactory(program=world.program, title="Семинар", kind=Event.Kind.SEMINAR)
    url = reverse("roadmaps:events", args=[world.program.pk])
    response = as_user(world.school).get(url, {"kind": Event.Kind.WEBINAR})
    assert [row.record.title for row in response.context["table"].rows] == ["Вебинар"]
    export = as_user(world.school).get(url, {"kind": Event.Kind.WEBINAR, "_export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in export["Content-Disposition"]


def test_the_calendar_opens_on_the_month_of_the_next_event(world, as_user):
    past = f.EventFactory(
        program=world.program, starts_at=timezone.now() - datetime.timedelta(days=400)
    )
    upcoming = f.EventFactory(
        program=world.program,
        title="Семинар через три месяца",
        starts_at=timezone.now() + datetime.timedelta(days=95),
    )
    response = as_user(world.school).get(reverse("roadmaps:calendar", args=[world.program.pk]))
    local = timezone.localtime(upcoming.starts_at, YEKATERINBURG)
    assert response.context["month"] == f"{local:%Y-%m}"
    assert [day["events"] for day in response.context["agenda"]] == [[upcoming]]
    assert past not in [e for day in response.context["agenda"] for e in day["events"]]
    # The month picker shows the month it opened on.
    assert f'name="month" id="month-input" value="{local:%Y-%m}"' in response.content.decode()


def test_the_agenda_lists_the_months_days_with_events_in_order(world, as_user):
    first = f.EventFactory(
        program=world.program,
        title="Вебинар",
        starts_at=datetime.datetime(2023, 5, 20, 5, 0, tzinfo=UTC),
    )
    second = f.EventFactory(
        program=world.program,
        title="Семинар",
        starts_at=datetime.datetime(2023, 5, 3, 5, 0, tzinfo=UTC),
    )
    # 1 June is in the grid's last week but not in May's agenda.
    f.EventFactory(program=world.program, starts_at=datetime.datetime(2023, 6, 1, 5, 0, tzinfo=UTC))
    response = as_user(world.school).get(
        reverse("roadmaps:calendar", args=[world.program.pk]),
        {"month": "2023-05", "view": "agenda"},
    )
    agenda = response.context["agenda"]
    assert [(day["date"], day["events"]) for day in agenda] == [
        (datetime.date(2023, 5, 3), [second]),
        (datetime.date(2023, 5, 20), [first]),
    ]
    page = response.content.decode()
    # Only the agenda: no grid.
    assert "calendar-grid" not in page
    assert "20 мая" in page


def test_events_are_called_events_and_roadmap_items_keep_their_name(world, as_user):
    client = as_user(world.coordinator)
    events_page = client.get(reverse("roadmaps:events", args=[world.program.pk])).content.decode()
    assert "События программы" in events_page
    assert "Новое событие" in events_page
    dashboard = client.get(
        reverse("dashboards:dashboard", args=[world.program.pk])
    ).content.decode()
    # The two buttons of the dashboard no longer share a word.
    assert ">События</a>" in dashboard
    assert ">Мероприятия дорожных карт</a>" in dashboard
    assert ">Мероприятия</a>" not in dashboard
    assert Event._meta.verbose_name_plural == "события"
    assert Roadmap._meta.get_field("items").related_model._meta.verbose_name == (
        "мероприятие дорожной карты"
    )
