"""What helped schools like it: practices adopted by schools sharing two risk factors or more
assessed high or medium, whose same indicator improved, never from fewer than three adopters."""

import datetime

import pytest
from django.urls import reverse

from expertise.models import Adoption, Practice
from forecasts.compute import recompute
from forecasts.helped import MIN_ADOPTERS, what_helped
from forecasts.models import Forecast
from schools.models import RiskFactor, RiskLevel, RiskProfile

from .conftest import approve, supported

HIGH, MEDIUM, LOW = RiskLevel.Level.HIGH, RiskLevel.Level.MEDIUM, RiskLevel.Level.LOW


def profile(school, levels):
    risk = RiskProfile.objects.create(school=school, assessed_on=datetime.date(2023, 1, 15))
    for factor, level in levels:
        RiskLevel.objects.create(profile=risk, factor=factor, level=level)


@pytest.fixture
def bank(world, trajectories):
    factors = [
        RiskFactor.objects.create(code=str(n), title=title, group="Кадры", order=n)
        for n, title in enumerate(("Дефицит кадров", "Низкая мотивация", "Высокая доля ОВЗ"), 1)
    ]
    a, b, c = factors
    profile(trajectories.falling, [(a, HIGH), (b, MEDIUM), (c, LOW)])
    practice = Practice.objects.create(
        title="Наставничество молодых учителей",
        author_school=world.curator_school,
        program=world.program,
        description="…",
        in_bank=True,
    )

    def adopter(name, levels, before, after):
        school = supported(world, name)
        profile(school, levels)
        approve(trajectories.indicator, trajectories.points[0], school, before)
        approve(trajectories.indicator, trajectories.points[1], school, after)
        Adoption.objects.create(
            practice=practice, school=school, adopted_on=datetime.date(2023, 2, 1)
        )
        return school

    similar = [
        adopter(f"МБОУ «Похожая СОШ №{n}»", [(a, HIGH), (b, HIGH)], 50, 50 + gain)
        for n, gain in enumerate((8, 12, 4), 1)
    ]
    # Shares one factor only: not like the school, whatever its change.
    adopter("МБОУ «Непохожая СОШ»", [(a, HIGH), (c, HIGH)], 50, 20)
    recompute(world.program)
    return practice, similar


def helped(world, trajectories, user=None):
    forecasts = Forecast.objects.filter(school=trajectories.falling)
    return what_helped(user or world.coordinator, trajectories.falling, forecasts)


def test_a_practice_that_helped_three_similar_schools_is_named(world, trajectories, bank):
    practice, _similar = bank
    [row] = helped(world, trajectories)[trajectories.indicator.pk]
    assert row.practice == practice
    assert (row.schools, row.improved, row.average) == (3, 3, 8)


def test_never_from_fewer_than_three_adopters(world, trajectories, bank):
    _practice, similar = bank
    Adoption.objects.filter(school=similar[0]).delete()
    assert MIN_ADOPTERS == 3
    assert helped(world, trajectories) == {}


def test_a_practice_after_which_similar_schools_fell_is_not_named(world, trajectories, bank):
    _practice, similar = bank
    from monitoring.models import Measurement

    Measurement.objects.filter(organization__in=similar, point=trajectories.points[1]).update(
        value=30
    )
    assert helped(world, trajectories) == {}


def test_only_what_the_user_sees_counts(world, trajectories, bank):
    # The school's staff do not see the other schools' profiles or values.
    assert helped(world, trajectories, world.school) == {}


def test_the_school_page_names_what_helped(world, trajectories, bank, as_user):
    page = (
        as_user(world.coordinator)
        .get(reverse("school", args=[trajectories.falling.pk]))
        .content.decode()
    )
    assert "Что помогло похожим школам" in page
    assert "Наставничество молодых учителей" in page
    assert "3 школы с похожим профилем рисков" in page
