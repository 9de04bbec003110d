"""What the monitoring note and the weekly digest read of the stored forecasts."""

import datetime

from django.utils import timezone

from forecasts.compute import recompute
from forecasts.models import Forecast
from forecasts.sections import new_at_risk, note_rows

from .conftest import approve, supported


def test_the_notes_rows_are_the_schools_at_risk_with_their_reasons(world, trajectories):
    recompute(world.program)
    [row] = note_rows(Forecast.objects.filter(program=world.program))
    assert row.school == trajectories.falling.short_name
    assert row.indicator == "1. Доля успевающих"
    assert row.last == "50 %"
    assert row.target == "не менее 70 %"
    assert "к «Итоговый срок»" in row.forecast
    assert row.chance > 50
    assert row.reliability == "низкая"
    assert row.reasons.startswith("снижение по двум точкам")


def test_the_digest_names_schools_that_became_at_risk_since_the_last_one(world, trajectories):
    week_ago = timezone.now() - datetime.timedelta(days=7)
    recompute(world.program, now=week_ago - datetime.timedelta(days=1))
    # Already at risk before the week: not new.
    assert new_at_risk(world.coordinator, week_ago) == []
    school = supported(world, "МБОУ «Падающая СОШ»")
    for point, value in zip(trajectories.points, (58, 45), strict=False):
        approve(trajectories.indicator, point, school, value)
    recompute(world.program)
    assert new_at_risk(world.coordinator, week_ago) == ["МБОУ «Падающая СОШ»"]
    # Nobody hears of a school outside their reach.
    assert new_at_risk(world.other_coordinator, week_ago) == []


def test_the_monitoring_note_has_a_section_of_the_schools_at_risk(world, trajectories):
    from reports.kinds import KINDS
    from tests.reports.reporting import table

    recompute(world.program)
    report = KINDS["note"].build(trajectories.points[1], world.coordinator)
    rows = table(report, "Риск недостижения целей").data_rows
    assert [r.values[0] for r in rows] == [trajectories.falling.short_name]
    assert "снижение по двум точкам" in rows[0].values[-1]
    # A curator's note reads through their own access rules: their pair's school only.
    curator = KINDS["note"].build(trajectories.points[1], world.curator)
    assert [r.values[0] for r in table(curator, "Риск недостижения целей").data_rows] == [
        trajectories.falling.short_name
    ]


def test_a_note_without_schools_at_risk_says_so(world, trajectories):
    from reports.kinds import KINDS
    from tests.reports.reporting import section

    report = KINDS["note"].build(trajectories.points[1], world.coordinator)
    [paragraph] = section(report, "Риск недостижения целей").blocks
    assert "Ни одна школа не в зоне риска" in paragraph.text


def test_the_weekly_digest_names_new_schools_at_risk(world, trajectories):
    from notices.rounds.digests import digest_lines

    now = timezone.now()
    recompute(world.program, now=now)
    lines = digest_lines(world.coordinator, now, now.date())
    assert (
        f"новые школы в зоне риска недостижения целей: 1 — {trajectories.falling.short_name}"
        in lines
    )
    assert not any("зоне риска" in line for line in digest_lines(world.outsider, now, now.date()))
    # A week later the same school is no longer new.
    later = now + datetime.timedelta(days=8)
    assert not any(
        "зоне риска" in line for line in digest_lines(world.coordinator, later, later.date())
    )
