"""The demo shows a program with schools at risk and why: «Вектор на развитие» loaded at a pinned
day, its forecasts recomputed as the task does, seen by the coordinator on the program's
dashboard and by the curator at home. The demo is loaded once for the module, inside a
transaction rolled back at its end (as in tests/demo/)."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from demo import cycle
from forecasts.compute import recompute
from forecasts.models import Forecast
from programs.models import Program
from schools.models import Organization
from tests.demo.test_demo import FAST_HASHER, SURGUT, user

DAY = date(2026, 3, 2)
FALLING = "МБОУ «Ляминская СОШ»"  # higher at the entry point than at the previous one
SLOW = "МБОУ «Русскинская СОШ»"  # rising, but by too little for the target
ABOVE = "МБОУ «Высокомысовская СОШ»"  # rising and above the target already


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    with django_db_blocker.unblock(), FAST_HASHER, media, transaction.atomic():
        call_command(
            "load_demo", "--today", DAY.isoformat(), stdout=io.StringIO(), allow_production=True
        )
        program = Program.objects.get(short_title=SURGUT)
        recompute(program, now=datetime.combine(DAY, time(12), ZoneInfo("Asia/Yekaterinburg")))
        yield program
        transaction.set_rollback(True)


@pytest.fixture
def program(loaded, db):
    return loaded


def section(page, id_):
    start = page.index(f'id="{id_}"')
    return page[start : page.index("</section>", start)]


def school(name):
    return Organization.objects.get(short_name=name)


def test_the_demo_has_forecasts_at_the_open_point_against_its_targets(program):
    forecasts = Forecast.objects.filter(program=program)
    assert forecasts.exists()
    assert {f.next_point.title for f in forecasts} == {cycle.OPEN_POINT[0]}
    assert {s.short_name for s in Organization.objects.filter(forecasts__at_risk=True)} == {
        FALLING,
        SLOW,
    }


def test_the_coordinator_sees_the_schools_at_risk_and_why_on_the_dashboard(program, client):
    client.force_login(user("coordinator"))
    page = client.get(reverse("dashboards:dashboard", args=[program.pk])).content.decode()
    shown = section(page, "forecast-risk")
    assert "в зоне риска: <strong>2</strong>" in shown
    falling, slow = school(FALLING), school(SLOW)
    assert f'href="{reverse("school", args=[falling.pk])}#forecasts"' in shown
    assert f'href="{reverse("school", args=[slow.pk])}#forecasts"' in shown
    # The reasons in words: the falling school's trend, the slow one's pace.
    assert "1: снижение по двум точкам" in shown
    assert "4: улучшение медленнее, чем нужно для цели" in shown
    assert "низкая" in shown  # how sure: two points each
    assert ABOVE not in shown


def test_the_curator_sees_their_school_at_risk_at_home(program, client):
    # The demo's curator is the curator of Русскинская's pair.
    client.force_login(user("curator"))
    page = client.get(reverse("home")).content.decode()
    own = section(page, "home-forecasts")
    assert SLOW in own and "улучшение медленнее, чем нужно для цели" in own
    assert FALLING not in own  # another pair's school
