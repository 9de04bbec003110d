"""The arithmetic of a forecast, with nothing of Django in it: the bench runs it on generated
programs, the task on a program's approved values.

For one indicator of one program, each school's values at the points it was measured make a
straight line over time (least squares). Two or three points make a wild line, so the school's
slope is shrunk toward the program's average slope — an empirical-Bayes estimate:

    slope = w · own slope + (1 − w) · program's slope,   w = τ² / (τ² + v)

where v is how uncertain the school's own slope is (the noise σ² of the values around their
lines over the spread of the school's dates) and τ² how much the schools' true slopes differ
(the spread of their own slopes less what the noise explains). A school with many points keeps
its own trend; one with two points leans on the program's. The line passes through the
school's mean value at its mean date, so every point counts toward the level.

The forecast at a date is that line's value, and its spread is the noise of one value plus the
uncertainty of the level and of the slope: a normal range (80 %) and the chance of missing a
target are read from it. Nothing is fitted by an optimiser: each figure can be checked by hand.
"""

import math
from dataclasses import dataclass

import numpy as np

DAYS_PER_YEAR = 365.25
# The range shown is the central 80 % of the forecast's distribution.
RANGE_Z = 1.2816
# Below this many points a school's values make no line.
MIN_POINTS = 2
# A school with values at the same date only has no trend either.
MIN_SPREAD_YEARS = 1 / DAYS_PER_YEAR


def years(day, start):
    """Time in years from `start` (a date), the unit of every slope here."""
    return (day - start).days / DAYS_PER_YEAR


@dataclass(frozen=True)
class Trend:
    """One school's line: through (`centre_t`, `centre_y`) with `slope` per year; `own_slope` is
    the school's least-squares slope and `weight` the share of it kept. `noise` is σ², the
    spread of one value around its line; `slope_var` the uncertainty of `slope`."""

    centre_t: float
    centre_y: float
    slope: float
    own_slope: float
    weight: float
    slope_var: float
    noise: float
    n: int

    def predict(self, t):
        """(expected value, its standard deviation) at time `t` in years."""
        mean = self.centre_y + self.slope * (t - self.centre_t)
        var = self.noise * (1 + 1 / self.n) + (t - self.centre_t) ** 2 * self.slope_var
        return mean, math.sqrt(max(var, 0.0))


def _own_line(t, y):
    """(slope, residual sum of squares, spread of the dates Σ(t − t̄)²) of least squares."""
    tc = t - t.mean()
    sxx = float(tc @ tc)
    slope = float(tc @ (y - y.mean())) / sxx
    residual = y - y.mean() - slope * tc
    return slope, float(residual @ residual), sxx


def fit(histories):
    """{key: Trend} for each key of `histories` ({key: [(t in years, value), …]}) with at least
    `MIN_POINTS` values at distinct dates; the others get no trend."""
    lines = {}
    for key, history in histories.items():
        if len(history) < MIN_POINTS:
            continue
        t = np.array([p[0] for p in history], dtype=float)
        y = np.array([p[1] for p in history], dtype=float)
        if t.max() - t.min() < MIN_SPREAD_YEARS:
            continue
        slope, rss, sxx = _own_line(t, y)
        lines[key] = (t, y, slope, rss, sxx)
    if not lines:
        return {}

    slopes = np.array([line[2] for line in lines.values()])
    inverse_spread = np.array([1 / line[4] for line in lines.values()])
    freedom = sum(len(line[0]) - 2 for line in lines.values())
    # Program-wide figures; with one school its own slope is the program's.
    mean_slope = float(slopes.mean())
    slope_spread = float(slopes.var(ddof=1)) if len(slopes) > 1 else 0.0
    if freedom > 0:
        noise = sum(line[3] for line in lines.values()) / freedom
    else:
        # Two values a school: the noise cannot be told from the trend. Half the spread of
        # the slopes is taken as noise, so the school's trend and the program's count alike.
        noise = slope_spread / 2 / float(inverse_spread.mean())
    between = max(slope_spread - noise * float(inverse_spread.mean()), 0.0)
    # The uncertainty of the program's slope itself, added to every school's.
    mean_var = slope_spread / len(slopes) if len(slopes) > 1 else 0.0

    trends = {}
    for key, (t, y, own, _rss, sxx) in lines.items():
        own_var = noise / sxx
        if len(slopes) < 2:
            weight = 1.0
        elif between + own_var > 0:
            weight = between / (between + own_var)
        else:
            weight = 0.0
        trends[key] = Trend(
            centre_t=float(t.mean()),
            centre_y=float(y.mean()),
            slope=weight * own + (1 - weight) * mean_slope,
            own_slope=own,
            weight=weight,
            slope_var=weight * own_var + (1 - weight) ** 2 * mean_var,
            noise=noise,
            n=len(t),
        )
    return trends


@dataclass(frozen=True)
class Goal:
    """A target as the arithmetic needs it: its value, «ge» / «le» / «eq», whether the
    indicator is yes/no (then the line between «нет» 0 and «да» 1 is at ½) and its direction
    («up» or «down»), which says which side of an «eq» target is the good one."""

    value: float
    comparison: str
    yes_no: bool = False
    direction: str = "up"

    def threshold(self):
        """(the value a forecast must reach, whether it must be at least it)."""
        at_least = self.comparison == "ge" or (self.comparison == "eq" and self.direction == "up")
        if self.yes_no:
            return (self.value - 0.5 if at_least else self.value + 0.5), at_least
        return self.value, at_least


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def chance_of_missing(mean, sd, goal):
    """The chance that a value drawn from the forecast (normal, `mean`, `sd`) misses `goal`."""
    threshold, at_least = goal.threshold()
    if sd <= 0:
        missed = mean < threshold if at_least else mean > threshold
        return 1.0 if missed else 0.0
    below = normal_cdf((threshold - mean) / sd)
    return below if at_least else 1 - below


# What values a unit allows; a forecast and its range never leave it.
BOUNDS = {"percent": (0.0, 100.0), "yes_no": (0.0, 1.0), "count": (0.0, None), "score": (0.0, None)}


def clamp(value, unit):
    low, high = BOUNDS.get(unit, (None, None))
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


@dataclass(frozen=True)
class Prediction:
    """The forecast at one date: the expected value and its 80 % range, within the unit's
    bounds, and the chance of missing the goal (None without a goal)."""

    value: float
    low: float
    high: float
    sd: float
    p_miss: float | None


def predict(trend, t, unit, goal=None):
    mean, sd = trend.predict(t)
    return Prediction(
        value=clamp(mean, unit),
        low=clamp(mean - RANGE_Z * sd, unit),
        high=clamp(mean + RANGE_Z * sd, unit),
        sd=sd,
        p_miss=None if goal is None else chance_of_missing(mean, sd, goal),
    )
