"""The forecast bench runs, writes its figures and uses the portal's own threshold."""

import json

from bench import forecast as bench
from forecasts.models import AT_RISK


def test_the_bench_uses_the_portals_threshold():
    assert bench.AT_RISK == AT_RISK


def test_the_bench_writes_every_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "PROGRAMS", 1)
    monkeypatch.setattr(bench, "SCHOOLS", 30)
    out = tmp_path / "forecast.json"
    bench.main(["--json", str(out), "--seeds", "1"])
    figures = json.loads(out.read_text())
    row = figures["seeds"]["1"]
    for name in ("mae_forecast", "mae_last_value", "mae_program_mean", "precision", "recall"):
        assert row[name] is not None
    # The forecast beats the program's average on every seed, whatever else it does.
    assert row["mae_forecast"] < row["mae_program_mean"]


def test_the_bound_runs_the_same_programs_and_forecasts_every_school_the_estimate_does(
    monkeypatch,
):
    from bench import forecast_bound

    monkeypatch.setattr(bench, "PROGRAMS", 1)
    monkeypatch.setattr(bench, "SCHOOLS", 30)
    estimate_row = bench.run(1)
    bound_row = bench.run(1, forecast_bound.bound_fit(bench.TURNAROUND_RATE))
    assert bound_row["forecasts"] == estimate_row["forecasts"]
    # The same held-out values: the naive forecast's error is the same figure.
    assert bound_row["mae_last_value"] == estimate_row["mae_last_value"]
    assert bound_row["mae_forecast"] < bound_row["mae_program_mean"]


def test_a_school_that_turns_is_counted_back_from_its_turn():
    from bench.forecast_bound import change_so_far

    # Turning at the third point: up, up, then down — two steps up at the second point, one
    # at the third, none at the fourth.
    assert [change_so_far(k, 3) for k in range(5)] == [0, 1, 2, 1, 0]
    assert [change_so_far(k, 5) for k in range(5)] == [0, 1, 2, 3, 4]
