"""A monitoring point closes: at its entry deadline, or, without one, its date plus the
program's entry window. Every page asks the same rule, and the home page tells a school what
is still to do at each open point."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Measurement, MonitoringPoint, SheetProgress
from programs.models import DEFAULT_ENTRY_WINDOW_DAYS
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_point_without_a_deadline_closes_after_the_programs_window(world, today):
    point = f.MonitoringPointFactory(program=world.program, date=today - 10 * DAY)
    assert world.program.entry_window_days == DEFAULT_ENTRY_WINDOW_DAYS == 30
    assert point.closes_on == today + 20 * DAY
    world.program.entry_window_days = 10
    world.program.save()
    point = MonitoringPoint.objects.select_related("program").get(pk=point.pk)
    assert point.closes_on == today
    assert point.is_open_on(today) and not point.is_open_on(today + DAY)


@pytest.mark.parametrize("window, open_today", [(9, False), (10, True), (30, True)])
def test_the_database_and_the_model_close_a_point_on_the_same_day(world, today, window, open_today):
    world.program.entry_window_days = window
    world.program.save()
    point = f.MonitoringPointFactory(program=world.program, date=today - 10 * DAY)
    listed = MonitoringPoint.objects.open_for_entry(today).filter(pk=point.pk).exists()
    assert listed is open_today
    assert MonitoringPoint.objects.get(pk=point.pk).is_open_on(today) is open_today


def test_an_entry_deadline_wins_over_the_window(world, today):
    point = f.MonitoringPointFactory(
        program=world.program, date=today - 100 * DAY, entry_deadline=today
    )
    assert point.closes_on == today
    assert MonitoringPoint.objects.open_for_entry(today).filter(pk=point.pk).exists()


def test_an_old_point_without_a_deadline_is_closed_on_every_page(world, as_user, today):
    point = f.MonitoringPointFactory(
        program=world.program, title="Мониторинг 2023", date=today - 365 * DAY
    )
    f.IndicatorFactory(program=world.program)
    client = as_user(world.school)
    assert point not in [p for p, _ in client.get(reverse("home")).context["points"]]
    page = client.get(world.program.get_absolute_url()).content.decode()
    assert "приём открыт" not in page
    entry = client.get(reverse("monitoring:entry", args=[point.pk, world.supported_school.pk]))
    assert entry.context["may_change"] is False
    assert f"приём значений закрыт {point.closes_on:%d.%m.%Y}" in entry.content.decode()


def test_the_coordinator_sets_the_window_with_the_program(world, as_user):
    from programs.setup_forms import ProgramForm

    form = ProgramForm(instance=world.program, user=world.coordinator)
    assert "entry_window_days" in form.fields and not form.fields["entry_window_days"].required


def points_section(html):
    start = html.index('id="home-points"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def open_point(world, today):
    point = f.MonitoringPointFactory(program=world.program, title="Мониторинг мая", date=today)
    indicators = [f.IndicatorFactory(program=world.program) for _ in range(2)]
    return point, indicators


def test_the_home_page_asks_the_school_for_what_it_has_not_sent(world, as_user, open_point):
    point, indicators = open_point
    f.MeasurementFactory(
        indicator=indicators[0],
        point=point,
        organization=world.supported_school,
        status=Measurement.Status.SUBMITTED,
    )
    html = points_section(as_user(world.school).get(reverse("home")).content.decode())
    assert "Ввести значения: МБОУ «Русскинская СОШ» (отправлено 1 из 2)" in html


def test_the_home_page_stops_asking_once_everything_is_sent(world, as_user, open_point):
    point, indicators = open_point
    for indicator in indicators:
        f.MeasurementFactory(
            indicator=indicator,
            point=point,
            organization=world.supported_school,
            status=Measurement.Status.SUBMITTED,
        )
    html = points_section(as_user(world.school).get(reverse("home")).content.decode())
    assert "Ввести значения" not in html
    assert "МБОУ «Русскинская СОШ»: отправлено ✓" in html


def test_the_home_page_asks_to_fix_returned_values(world, as_user, open_point):
    point, indicators = open_point
    f.MeasurementFactory(
        indicator=indicators[0],
        point=point,
        organization=world.supported_school,
        status=Measurement.Status.RETURNED,
    )
    html = points_section(as_user(world.school).get(reverse("home")).content.decode())
    assert "Исправить значения: МБОУ «Русскинская СОШ» (возвращено 1)" in html


def test_sheet_progress_names_where_a_sheet_stands():
    assert SheetProgress.of(None, 3).state == ("не начато", "danger")
    assert SheetProgress(3, filled=1).state == ("заполняется", "secondary")
    assert SheetProgress(3, filled=3, submitted=2, returned=1).state[0] == (
        "возвращено на доработку"
    )
    assert SheetProgress(3, submitted=1, approved=2).complete
    assert SheetProgress(3, approved=3).state[0] == "утверждено"
    assert not SheetProgress(0).complete


def test_the_school_page_marks_a_point_whose_values_are_all_sent(world, as_user, open_point):
    point, indicators = open_point
    client = as_user(world.school)
    page = client.get(world.supported_school.get_absolute_url()).content.decode()
    assert "Ввести значения: Мониторинг мая" in page
    for indicator in indicators:
        f.MeasurementFactory(
            indicator=indicator,
            point=point,
            organization=world.supported_school,
            status=Measurement.Status.SUBMITTED,
        )
    page = client.get(world.supported_school.get_absolute_url()).content.decode()
    assert "Ввести значения: Мониторинг мая" not in page
    assert "Значения: Мониторинг мая</a>" in page and ">отправлено</span>" in page


def test_the_point_set_up_names_the_programs_window(world, as_user, today):
    f.MonitoringPointFactory(program=world.program, title="Без срока", date=today)
    response = as_user(world.coordinator).get(
        reverse("monitoring:setup_points", args=[world.program.pk])
    )
    html = response.content.decode()
    assert f"{today + 30 * DAY:%d.%m.%Y} <span" in html and "(срок программы)" in html
    assert "закрывается через 30 дн. после даты точки" in html
