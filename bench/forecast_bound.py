"""How far any forecast can go on `forecast.py`'s programs: the best forecast there is, the one
that knows the generator's constants.

`forecast.py` draws each school's start, yearly change and noise from known normal laws and turns
some schools around at a known rate. Knowing those laws, the best forecast of the held-out value
is the Bayesian one: for each way the school may have gone (straight on, or turned at the second,
third or fourth point), the exact posterior of its start and change from its observed values,
weighed by how likely that way is and how well it fits them; the forecast is the median of the
resulting mixture, which no other forecast beats on the mean absolute error in expectation.
Whether a program is mirrored («чем меньше, тем лучше») is read from the sign of its schools'
average change, which 80 schools never get wrong.

Two bounds, run through `forecast.run` (the same programs, held-out values and figures):
- `straight`: the laws without turnarounds — the best a straight line per school can do;
- `turns`: the laws with them — the best any forecast can do.

    python bench/forecast_bound.py
"""

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import forecast as bench  # noqa: E402

STEP_YEARS = bench.STEP_DAYS / 365.25


@dataclass(frozen=True)
class Mixture:
    """The forecast of one school: each way's weight, mean and standard deviation at the
    held-out point (in the generator's steps)."""

    weights: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    n: int

    def cdf(self, x):
        return sum(
            w * 0.5 * (1 + math.erf((x - m) / s / math.sqrt(2)))
            for w, m, s in zip(self.weights, self.means, self.sds, strict=True)
        )

    def predict(self, t):
        """(median, standard deviation) of the mixture; `t` is always the held-out point."""
        low, high = float(self.means.min() - 50), float(self.means.max() + 50)
        for _ in range(60):
            middle = (low + high) / 2
            low, high = (low, middle) if self.cdf(middle) > 0.5 else (middle, high)
        mean = float(self.weights @ self.means)
        var = float(self.weights @ (self.sds**2 + (self.means - mean) ** 2))
        return (low + high) / 2, math.sqrt(var)


def change_so_far(k, turn):
    """How many steps of its change a school has made by point `k` when it turns at `turn`."""
    return sum(1 if j < turn else -1 for j in range(1, k + 1))


def bound_fit(turn_rate):
    ways = [(turn, turn_rate / (bench.POINTS - 2)) for turn in range(2, bench.POINTS)]
    ways.append((bench.POINTS, 1 - turn_rate))
    ways = [(turn, prior) for turn, prior in ways if prior > 0]
    step_change = bench.SLOPE_MEAN * STEP_YEARS
    step_sd = bench.SLOPE_SD * STEP_YEARS
    noise = bench.NOISE_SD**2
    held_out = bench.POINTS - 1

    def fit(histories):
        changes = [
            (h[-1][1] - h[0][1]) / (h[-1][0] - h[0][0]) for h in histories.values() if len(h) > 1
        ]
        sign = 1 if np.mean(changes) > 0 else -1
        start = bench.START_MEAN if sign > 0 else 100 - bench.START_MEAN
        prior_mean = np.array([start, sign * step_change])
        prior_var = np.diag([bench.START_SD**2, step_sd**2])
        trends = {}
        for school, history in histories.items():
            if len(history) < 2:
                continue
            ks = [round(t / STEP_YEARS) for t, _ in history]
            y = np.array([v for _, v in history])
            logs, means, sds = [], [], []
            for turn, prior in ways:
                x = np.array([[1.0, change_so_far(k, turn)] for k in ks])
                cov = x @ prior_var @ x.T + noise * np.eye(len(y))
                residual = y - x @ prior_mean
                gain = prior_var @ x.T @ np.linalg.inv(cov)
                post_mean = prior_mean + gain @ residual
                post_var = prior_var - gain @ x @ prior_var
                ahead = np.array([1.0, change_so_far(held_out, turn)])
                logs.append(
                    math.log(prior)
                    - 0.5 * residual @ np.linalg.solve(cov, residual)
                    - 0.5 * np.linalg.slogdet(cov)[1]
                )
                means.append(ahead @ post_mean)
                sds.append(math.sqrt(ahead @ post_var @ ahead + noise))
            logs = np.array(logs)
            weights = np.exp(logs - logs.max())
            trends[school] = Mixture(
                weights / weights.sum(), np.array(means), np.array(sds), len(y)
            )
        return trends

    return fit


def main():
    bounds = {"straight": 0.0, "turns": bench.TURNAROUND_RATE}
    print("seed  " + "  ".join(f"{name:>10}" for name in ("estimate", *bounds)))
    for seed in bench.SEEDS:
        ratios = [bench.run(seed)["ratio"]]
        ratios += [bench.run(seed, bound_fit(rate))["ratio"] for rate in bounds.values()]
        print(f"{seed:>4}  " + "  ".join(f"{r:>10}" for r in ratios))


if __name__ == "__main__":
    main()
