"""From risk to measure to indicator: each flag raised exactly when its rule says, on the school
page and summed on the dashboard."""

import datetime

import pytest
from django.urls import reverse

from expertise.traceability import (
    HIGH_WITHOUT_ANTI_RISK,
    HIGH_WITHOUT_MEASURE,
    MEASURE_WITHOUT_INDICATOR,
    trace,
)
from programs.models import Document
from roadmaps.models import Roadmap, RoadmapItem
from schools.models import RiskFactor, RiskLevel, RiskProfile

from .. import factories as f


@pytest.fixture
def risks(world):
    factors = [
        RiskFactor.objects.create(code=f"1.{n}", title=title, group="Материальные", order=n)
        for n, title in enumerate(["Низкая мотивация", "Дефицит кадров", "Низкий уровень ОВЗ"], 1)
    ]
    old = RiskProfile.objects.create(
        school=world.supported_school, assessed_on=datetime.date(2022, 1, 1)
    )
    RiskLevel.objects.create(profile=old, factor=factors[2], level=RiskLevel.Level.HIGH)
    profile = RiskProfile.objects.create(
        school=world.supported_school, assessed_on=datetime.date(2023, 1, 1)
    )
    levels = [RiskLevel.Level.HIGH, RiskLevel.Level.MEDIUM, RiskLevel.Level.LOW]
    for factor, level in zip(factors, levels, strict=True):
        RiskLevel.objects.create(profile=profile, factor=factor, level=level)
    roadmap = f.RoadmapFactory(program=world.program, level=Roadmap.Level.PAIR, pair=world.pair)
    return factors, roadmap


def _trace(world):
    return trace(
        [world.supported_school.pk],
        items=RoadmapItem.objects.all(),
        documents=Document.objects.all(),
    )[world.supported_school.pk]


def test_a_high_risk_with_nothing_raises_no_measure_and_no_anti_risk(world, risks):
    school_trace = _trace(world)
    # Only the newest profile counts: 1.3 was high in 2022 and is low now.
    assert [(t.factor.code, t.level) for t in school_trace.factors] == [
        ("1.1", "high"),
        ("1.2", "medium"),
    ]
    high, medium = school_trace.factors
    assert high.flags == [HIGH_WITHOUT_MEASURE, HIGH_WITHOUT_ANTI_RISK]
    assert medium.flags == []  # a medium risk needs neither


def test_a_measure_tied_to_no_indicator_is_flagged_and_a_tied_one_is_not(world, risks):
    factors, roadmap = risks
    loose = f.RoadmapItemFactory(roadmap=roadmap, title="Клуб для мотивации")
    loose.risk_factors.add(factors[0])
    target = f.TargetFactory(indicator=f.IndicatorFactory(program=world.program, code="7"))
    tied = f.RoadmapItemFactory(roadmap=roadmap, title="Наставничество", target=target)
    tied.risk_factors.add(factors[1])
    school_trace = _trace(world)
    high, medium = school_trace.factors
    assert HIGH_WITHOUT_MEASURE not in high.flags
    assert high.flags == [MEASURE_WITHOUT_INDICATOR, HIGH_WITHOUT_ANTI_RISK]
    assert medium.flags == []
    assert [i["indicator_code"] for i in medium.indicators] == ["7"]
    assert school_trace.count(MEASURE_WITHOUT_INDICATOR) == 1


def test_an_anti_risk_program_against_the_factor_clears_its_flag(world, risks):
    factors, _ = risks
    f.DocumentFactory(
        program=world.program,
        organization=world.supported_school,
        kind=Document.Kind.ANTI_RISK_PROGRAM,
        risk_factor=factors[0],
        title="Антирисковая 1.1",
    )
    high = _trace(world).factors[0]
    assert HIGH_WITHOUT_ANTI_RISK not in high.flags
    assert [d["title"] for d in high.anti_risk_programs] == ["Антирисковая 1.1"]


def test_an_item_of_a_program_roadmap_counts_where_the_school_is_responsible(world, risks):
    factors, _ = risks
    program_roadmap = f.RoadmapFactory(program=world.program)
    item = f.RoadmapItemFactory(roadmap=program_roadmap)
    item.risk_factors.add(factors[0])
    item.responsible.add(world.supported_school)
    assert HIGH_WITHOUT_MEASURE not in _trace(world).factors[0].flags


def test_the_school_page_shows_the_flags_to_those_who_see_the_school(world, risks, as_user):
    page = as_user(world.school).get(reverse("school", args=[world.supported_school.pk]))
    text = page.content.decode()
    assert 'data-flag="high_without_measure"' in text
    assert 'data-flag="high_without_anti_risk"' in text
    assert (
        as_user(world.outsider).get(reverse("school", args=[world.supported_school.pk])).status_code
        == 404
    )


def test_the_dashboard_sums_the_flags(world, risks, as_user):
    factors, roadmap = risks
    loose = f.RoadmapItemFactory(roadmap=roadmap)
    loose.risk_factors.add(factors[1])
    page = as_user(world.coordinator).get(reverse("dashboards:dashboard", args=[world.program.pk]))
    text = page.content.decode()
    assert "высокий риск без мер: 1" in text
    assert "мера без показателя: 1" in text
    assert "нет антирисковой программы: 1" in text
    assert "с замечаниями: 1" in text


def test_the_dashboards_section_costs_the_same_for_5_and_50_assessed_schools(world, risks, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.models import Participant

    factors, roadmap = risks

    def grow(count):
        for n in range(count):
            school = f.OrganizationFactory(municipality=world.municipality)
            f.ParticipantFactory(
                program=world.program, organization=school, role=Participant.Role.SUPPORTED
            )
            profile = RiskProfile.objects.create(
                school=school, assessed_on=datetime.date(2023, 2, 1)
            )
            RiskLevel.objects.create(
                profile=profile, factor=factors[n % 3], level=RiskLevel.Level.HIGH
            )
            item = f.RoadmapItemFactory(roadmap=roadmap)
            item.risk_factors.add(factors[n % 3])
            item.responsible.add(school)
            f.DocumentFactory(
                program=world.program,
                organization=school,
                kind=Document.Kind.ANTI_RISK_PROGRAM,
                risk_factor=factors[n % 3],
            )

    client = as_user(world.coordinator)
    url = reverse("dashboards:dashboard", args=[world.program.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(5)
    few = count()
    grow(45)
    assert count() == few
