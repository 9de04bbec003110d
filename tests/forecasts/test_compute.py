"""Forecasts of hand-made trajectories, stored and recomputed."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from forecasts.compute import forecast_program, recompute, trend_reason
from forecasts.models import Forecast
from monitoring.models import Indicator, Measurement
from tests import factories as f

from .conftest import approve, supported


def stored(trajectories, school):
    return Forecast.objects.get(indicator=trajectories.indicator, school=school)


def test_a_school_falling_away_from_its_target_is_at_risk_because_of_the_fall(world, trajectories):
    recompute(world.program)
    forecast = stored(trajectories, trajectories.falling)
    assert forecast.at_risk
    assert forecast.reasons == ["снижение по двум точкам"]
    # The target is set only at the final point: that is where the chance is read.
    assert forecast.next_point == forecast.final_point == trajectories.points[2]
    assert forecast.final_target == "не менее 70 %"
    assert forecast.p_miss_final > 0.75
    assert forecast.final_value < 60
    assert forecast.final_low <= forecast.final_value <= forecast.final_high
    assert forecast.confidence == "low"
    assert forecast.at_risk_since is not None


def test_a_school_rising_past_its_target_is_not_at_risk(world, trajectories):
    recompute(world.program)
    forecast = stored(trajectories, trajectories.rising)
    assert not forecast.at_risk
    assert forecast.p_miss_final < 0.5
    assert forecast.final_value > 70
    assert forecast.reasons == []


def test_one_point_only_gives_no_forecast(world, trajectories):
    recompute(world.program)
    assert not Forecast.objects.filter(school=trajectories.lonely).exists()
    assert Forecast.objects.filter(program=world.program).count() == 2


def test_values_not_approved_do_not_count(world, trajectories):
    Measurement.objects.filter(
        organization=trajectories.falling, point=trajectories.points[1]
    ).update(status=Measurement.Status.SUBMITTED)
    recompute(world.program)
    assert not Forecast.objects.filter(school=trajectories.falling).exists()


def test_an_indicator_without_a_target_has_no_forecast(world, trajectories):
    plain = f.IndicatorFactory(program=world.program, code="2")
    for point, value in zip(trajectories.points, (10, 5), strict=False):
        approve(plain, point, trajectories.falling, value)
    recompute(world.program)
    assert not Forecast.objects.filter(indicator=plain).exists()


def test_an_indicator_where_less_is_better_is_at_risk_when_it_rises(world, trajectories):
    down = f.IndicatorFactory(
        program=world.program, code="3", direction=Indicator.Direction.DOWN, title="Доля «2»"
    )
    f.TargetFactory(indicator=down, point=trajectories.points[2], value=10, comparison="le")
    for school, values in ((trajectories.falling, (12, 20)), (trajectories.rising, (15, 8))):
        for point, value in zip(trajectories.points, values, strict=False):
            approve(down, point, school, value)
    recompute(world.program)
    worse = Forecast.objects.get(indicator=down, school=trajectories.falling)
    better = Forecast.objects.get(indicator=down, school=trajectories.rising)
    assert worse.at_risk and worse.reasons == ["рост по двум точкам"]
    assert not better.at_risk


def test_a_yes_no_indicator_is_forecast_between_no_and_yes(world, trajectories):
    flag = f.IndicatorFactory(program=world.program, code="4", unit=Indicator.Unit.YES_NO)
    f.TargetFactory(indicator=flag, point=trajectories.points[2], value=1, comparison="eq")
    for school, values in ((trajectories.falling, (1, 0)), (trajectories.rising, (0, 1))):
        for point, value in zip(trajectories.points, values, strict=False):
            approve(flag, point, school, value)
    recompute(world.program)
    lost = Forecast.objects.get(indicator=flag, school=trajectories.falling)
    kept = Forecast.objects.get(indicator=flag, school=trajectories.rising)
    assert lost.at_risk and 0 <= lost.final_low <= lost.final_value <= lost.final_high <= 1
    assert not kept.at_risk
    assert kept.final_target == "равно да"


def test_a_target_at_the_next_point_is_read_there(world, trajectories):
    later = f.MonitoringPointFactory(
        program=world.program, title="Доп. срок", date=datetime.date(2023, 9, 30)
    )
    f.TargetFactory(
        indicator=trajectories.indicator, point=later, organization=trajectories.rising, value=90
    )
    recompute(world.program)
    forecast = stored(trajectories, trajectories.rising)
    assert forecast.next_point == later
    assert forecast.next_target == "не менее 90 %"
    # Rising from 65 to 78 by May does not reach 90 by September: at risk there only.
    assert forecast.p_miss_next > 0.5 > forecast.p_miss_final
    assert forecast.at_risk
    assert forecast.reasons == ["улучшение медленнее, чем нужно для цели"]


def test_recomputing_keeps_when_a_school_became_at_risk(world, trajectories):
    first = timezone.now() - datetime.timedelta(days=10)
    recompute(world.program, now=first)
    # A new school's values move the program's average change, and so every forecast.
    school = supported(world, "МБОУ «Третья СОШ»")
    for point, value in zip(trajectories.points, (40, 45), strict=False):
        approve(trajectories.indicator, point, school, value)
    recompute(world.program)
    forecast = stored(trajectories, trajectories.falling)
    assert forecast.at_risk_since == first
    assert forecast.computed_at > first


def test_a_program_with_one_point_has_no_forecasts(world):
    f.MonitoringPointFactory(program=world.program)
    assert forecast_program(world.program) == []


@pytest.mark.parametrize(
    ("values", "direction", "words"),
    [
        ((70, 65, 60), "up", "снижение по трём точкам"),
        ((50, 70, 60), "up", "снижение по двум точкам"),
        ((60, 60), "up", "без изменений по двум точкам"),
        ((10, 12, 15), "down", "рост по трём точкам"),
        ((60, 65), "up", None),
    ],
)
def test_the_trend_is_said_in_words(values, direction, words):
    assert trend_reason(Indicator(direction=direction), values) == words


def test_an_approval_queues_the_recomputation_after_commit(
    world, trajectories, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "forecasts.tasks.recompute_forecasts", SimpleNamespace(enqueue=queued.append)
    )
    school = supported(world, "МБОУ «Третья СОШ»")
    value = approve(trajectories.indicator, trajectories.points[0], school, 40)
    with django_capture_on_commit_callbacks(execute=True):
        value.save()
        value.save()  # two approvals in one transaction, one recomputation waiting
    assert queued == [world.program.pk]


def test_the_task_recomputes_the_program(world, trajectories):
    from forecasts.tasks import recompute_forecasts

    assert recompute_forecasts.call(world.program.pk) == 2
    assert Forecast.objects.filter(program=world.program, at_risk=True).count() == 1


def test_a_recomputation_that_says_the_same_writes_nothing(world, trajectories):
    first = timezone.now() - datetime.timedelta(hours=1)
    recompute(world.program, now=first)
    ids = set(Forecast.objects.values_list("pk", flat=True))
    recompute(world.program)
    assert set(Forecast.objects.values_list("pk", flat=True)) == ids
    assert Forecast.objects.filter(computed_at=first).count() == len(ids)


def test_a_locked_point_queues_the_recomputation(
    world, trajectories, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "forecasts.tasks.recompute_forecasts", SimpleNamespace(enqueue=queued.append)
    )
    point = trajectories.points[1]
    point.locked = True
    with django_capture_on_commit_callbacks(execute=True):
        point.save()
    assert queued == [world.program.pk]


def test_the_command_recomputes_every_program(world, trajectories):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("recompute_forecasts", stdout=out)
    assert "прогнозов 2" in out.getvalue()
    assert Forecast.objects.count() == 2


def test_the_workers_recompute_every_program_daily(world, trajectories):
    # A point closed by its date alone queues nothing: the daily job takes it in.
    from config import settings as project

    job = project.PERIODIC_TASKS["forecasts"]
    assert job["minutes"] == 24 * 60
    import_string(job["function"])()
    assert stored(trajectories, trajectories.falling).at_risk
