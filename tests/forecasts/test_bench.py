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
