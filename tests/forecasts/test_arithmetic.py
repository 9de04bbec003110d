"""The arithmetic of a forecast, pinned on hand-made numbers."""

import math

import pytest

from forecasts import estimate
from forecasts.estimate import Goal


def test_a_line_through_exact_values_is_kept_by_every_school():
    # Each school rises by exactly 10 a year; no noise, no spread: nothing to shrink.
    histories = {s: [(0.0, 50.0 + s), (1.0, 60.0 + s), (2.0, 70.0 + s)] for s in range(3)}
    trends = estimate.fit(histories)
    mean, sd = trends[1].predict(3.0)
    assert mean == pytest.approx(81.0)
    assert sd == pytest.approx(0.0)


def test_a_school_with_two_points_leans_on_the_program_average():
    # Three schools measured three times rise steadily by 10, 12 and 8 a year (a little noise);
    # a fourth measured twice jumped by 40. Its slope is pulled toward the program's.
    histories = {
        "a": [(0.0, 50.0), (1.0, 61.0), (2.0, 70.0)],
        "b": [(0.0, 40.0), (1.0, 51.0), (2.0, 64.0)],
        "c": [(0.0, 45.0), (1.0, 54.0), (2.0, 61.0)],
        "jump": [(0.0, 30.0), (1.0, 70.0)],
    }
    trends = estimate.fit(histories)
    jump = trends["jump"]
    assert jump.own_slope == pytest.approx(40.0)
    assert 0 < jump.weight < 1
    # Program's mean slope: (10 + 12 + 8 + 40) / 4 = 17.5; the shrunk slope lies between.
    assert 17.5 < jump.slope < 40.0
    # The schools with three points keep more of their own trend than the one with two.
    assert trends["a"].weight > jump.weight


def test_a_school_alone_keeps_its_own_line():
    trends = estimate.fit({"only": [(0.0, 10.0), (0.5, 20.0)]})
    assert trends["only"].slope == pytest.approx(20.0)
    assert trends["only"].weight == 1.0


def test_one_point_or_one_date_gives_no_trend():
    assert estimate.fit({"one": [(0.0, 50.0)], "same day": [(1.0, 5.0), (1.0, 6.0)]}) == {}


def test_the_chance_of_missing_reads_the_normal_curve():
    at_least = Goal(70, "ge")
    assert estimate.chance_of_missing(70, 10, at_least) == pytest.approx(0.5)
    assert estimate.chance_of_missing(60, 10, at_least) == pytest.approx(0.8413, abs=1e-4)
    at_most = Goal(20, "le")  # «не более 20 %», less is better
    assert estimate.chance_of_missing(10, 10, at_most) == pytest.approx(0.1587, abs=1e-4)
    assert estimate.chance_of_missing(25, 0, at_most) == 1.0


def test_a_yes_no_target_is_missed_below_one_half():
    yes = Goal(1, "eq", yes_no=True, direction="up")
    assert estimate.chance_of_missing(0.5, 0.2, yes) == pytest.approx(0.5)
    assert estimate.chance_of_missing(0.9, 0.2, yes) < 0.05
    # «нет» wanted (an indicator where less is better, target = 0).
    no = Goal(0, "eq", yes_no=True, direction="down")
    assert estimate.chance_of_missing(0.9, 0.2, no) > 0.95


def test_the_range_stays_within_the_unit():
    trend = estimate.Trend(0, 95.0, 10.0, 10.0, 1.0, 0.0, 25.0, 2)
    prediction = estimate.predict(trend, 1.0, "percent", Goal(90, "ge"))
    assert prediction.value == 100.0 and prediction.high == 100.0
    assert prediction.low == pytest.approx(105 - 1.2816 * math.sqrt(37.5))
