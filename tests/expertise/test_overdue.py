"""An expertise sheet is overdue when it is undecided after its deadline in its program region's
date (`Program.local_today`), not the server's: the count on the program's expertise page, the
reviewer's list, the document's page and the reminder agree on it."""

import datetime

import pytest
from django.urls import reverse

from expertise import services
from expertise.models import Assignment
from notices.models import Kind, Notification
from notices.service import run_round

# 01:00 on 11 March on Kamchatka, still 16:00 on 10 March in Moscow (the portal's zone).
MOMENT = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=datetime.UTC)
DEADLINE = datetime.date(2026, 3, 10)


@pytest.fixture
def on_kamchatka(review_world, monkeypatch):
    region = review_world.world.region
    region.timezone = "Asia/Kamchatka"
    region.save()
    monkeypatch.setattr("django.utils.timezone.now", lambda: MOMENT)
    sheet = services.assign(
        review_world.document,
        review_world.peer,
        role=Assignment.Role.MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
        due_on=DEADLINE,
    )
    return sheet


def test_a_sheet_is_overdue_by_the_date_of_its_programs_region(review_world, on_kamchatka):
    sheet = Assignment.objects.get(pk=on_kamchatka.pk)
    assert sheet.is_overdue
    assert list(Assignment.objects.overdue(MOMENT)) == [sheet]
    # An hour earlier it is still 10 March on Kamchatka too.
    assert not sheet.is_overdue_on(review_world.world.program.local_today(MOMENT.replace(hour=11)))
    assert not Assignment.objects.overdue(MOMENT.replace(hour=11)).exists()


def test_pages_and_the_reminder_call_the_sheet_overdue_on_the_same_day(
    review_world, on_kamchatka, as_user
):
    world = review_world.world
    page = as_user(world.coordinator).get(reverse("expertise:program", args=[world.program.pk]))
    (round_,) = page.context["rounds"]
    assert round_.overdue == 1
    assert "просрочено 1" in page.content.decode()

    mine = as_user(review_world.peer).get(reverse("expertise:my_sheets"))
    assert "late fw-bold" in mine.content.decode()
    assign = as_user(world.coordinator).get(
        reverse("expertise:assign", args=[review_world.document.pk])
    )
    assert "просрочено" in assign.content.decode()

    run_round(now=MOMENT)
    assert Notification.objects.filter(
        kind=Kind.SHEET_DUE, recipient=review_world.peer, occasion=f"late:{DEADLINE.isoformat()}"
    ).exists()
