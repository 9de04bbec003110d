"""Items and events filtered by a period («эта неделя», «следующий месяц»), counted in the
program region's date; the period ranges themselves."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.periods import Period, period_range
from roadmaps.models import Roadmap
from tests import factories as f

pytestmark = pytest.mark.django_db

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period.THIS_WEEK, datetime.date(2026, 12, 7), datetime.date(2026, 12, 13)),
        (Period.NEXT_WEEK, datetime.date(2026, 12, 14), datetime.date(2026, 12, 20)),
        (Period.THIS_MONTH, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31)),
        (Period.NEXT_MONTH, datetime.date(2027, 1, 1), datetime.date(2027, 1, 31)),
        (Period.NEXT_30_DAYS, datetime.date(2026, 12, 10), datetime.date(2027, 1, 8)),
    ],
)
def test_a_period_is_a_range_of_days_around_today(period, first, last):
    assert period_range(period, datetime.date(2026, 12, 10)) == (first, last)


def _items(world):
    roadmap = f.RoadmapFactory(program=world.program, level=Roadmap.Level.PROGRAM)
    today = world.program.local_today()
    monday = today - datetime.timedelta(days=today.weekday())
    due = {
        "this week": monday + datetime.timedelta(days=6),
        "next week": monday + datetime.timedelta(days=8),
        "last week": monday - datetime.timedelta(days=1),
    }
    for title, day in due.items():
        f.RoadmapItemFactory(
            roadmap=roadmap, title=title, schedule_text="", starts_on=None, due_on=day
        )
    return due


@pytest.mark.parametrize(
    ("period", "expected"),
    [("this_week", ["this week"]), ("next_week", ["next week"]), ("", None)],
)
def test_items_filter_by_the_period_they_are_due_in(world, as_user, period, expected):
    _items(world)
    page = as_user(world.coordinator).get(
        reverse("roadmaps:items", args=[world.program.pk]), {"period": period}
    )
    assert page.status_code == 200
    listed = [title for title in ("this week", "next week", "last week") if title in page.text]
    assert listed == (expected or ["this week", "next week", "last week"])


def test_items_filter_by_a_range_of_due_dates(world, as_user):
    due = _items(world)
    page = as_user(world.coordinator).get(
        reverse("roadmaps:items", args=[world.program.pk]),
        {"due_from": due["last week"].isoformat(), "due_to": due["this week"].isoformat()},
    )
    assert "last week" in page.text and "this week" in page.text
    assert "next week" not in page.text


def test_an_unknown_period_is_a_form_error_not_a_failure(world, as_user):
    _items(world)
    page = as_user(world.coordinator).get(
        reverse("roadmaps:items", args=[world.program.pk]), {"period": "вчера"}
    )
    assert page.status_code == 200
    assert "Выберите корректный вариант" in page.text


def test_events_filter_by_the_period_they_start_in(world, as_user):
    today = world.program.local_today()
    monday = today - datetime.timedelta(days=today.weekday())
    for title, day in [
        ("Эта", monday + datetime.timedelta(days=6)),
        ("Та", monday + datetime.timedelta(days=9)),
    ]:
        f.EventFactory(
            program=world.program,
            title=f"Семинар «{title}»",
            # Late in the evening in the region: still that day there, the next day in UTC+0
            # only for a zone east of it, so the region's date is what counts.
            starts_at=datetime.datetime.combine(day, datetime.time(23, 30), YEKATERINBURG),
        )
    page = as_user(world.coordinator).get(
        reverse("roadmaps:events", args=[world.program.pk]), {"period": "this_week"}
    )
    assert "Семинар «Эта»" in page.text
    assert "Семинар «Та»" not in page.text
