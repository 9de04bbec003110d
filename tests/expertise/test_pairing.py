"""The pairing assistant ranks curator schools on a constructed case whose answer is known."""

import datetime

import pytest
from django.urls import reverse

from expertise.pairing import suggest
from programs.models import CuratorPair, Participant
from schools.models import RiskFactor, RiskLevel, RiskProfile, SchoolStatus

from .. import factories as f

HIGH, MEDIUM, LOW, NONE = (
    RiskLevel.Level.HIGH,
    RiskLevel.Level.MEDIUM,
    RiskLevel.Level.LOW,
    RiskLevel.Level.NONE,
)


def profile(school, levels):
    p = RiskProfile.objects.create(school=school, assessed_on=datetime.date(2023, 1, 10))
    for factor, level in levels.items():
        RiskLevel.objects.create(profile=p, factor=factor, level=level)


@pytest.fixture
def case(world):
    """A new supported school weak in motivation and staff. Candidates:
    - strong: same municipality, strong in both, curates no one → 0.5 + 0.3 + 0.2 = 1.00;
    - busy: the same but already curates three schools → 0.5 + 0.3 + 0.05 = 0.85;
    - far: strong in both, another region, free → 0.5 + 0 + 0.2 = 0.70;
    - alike: same municipality, free, but high in both itself → 0 + 0.3 + 0.2 = 0.50;
    the existing curator school of the world (no profile, curates one) → 0 + 0.3 + 0.1 = 0.40."""
    motivation = RiskFactor.objects.create(code="3.2", title="Низкая мотивация", group="Климат")
    staff = RiskFactor.objects.create(code="1.1", title="Дефицит кадров", group="Кадры")
    school = f.OrganizationFactory(municipality=world.municipality, short_name="МБОУ «Новая СОШ»")
    f.ParticipantFactory(
        program=world.program, organization=school, role=Participant.Role.SUPPORTED
    )
    profile(school, {motivation: HIGH, staff: MEDIUM})
    far_region = f.RegionFactory(name="Пермский край", code="59")
    candidates = {
        "strong": f.OrganizationFactory(municipality=world.municipality, short_name="Сильная"),
        "busy": f.OrganizationFactory(municipality=world.municipality, short_name="Занятая"),
        "far": f.OrganizationFactory(
            region=far_region,
            municipality=f.MunicipalityFactory(region=far_region),
            short_name="Далёкая",
        ),
        "alike": f.OrganizationFactory(municipality=world.municipality, short_name="Похожая"),
    }
    for name, levels in {
        "strong": {motivation: LOW, staff: NONE},
        "busy": {motivation: NONE, staff: LOW},
        "far": {motivation: LOW, staff: LOW},
        "alike": {motivation: HIGH, staff: HIGH},
    }.items():
        profile(candidates[name], levels)
        SchoolStatus.objects.create(
            school=candidates[name], year=2022, category=SchoolStatus.Category.EFFECTIVE
        )
    other_program = f.ProgramFactory(owner=world.authority)
    for _ in range(3):
        f.CuratorPairFactory(program=other_program, curator_school=candidates["busy"])
    return school, candidates


def test_the_ranking_matches_the_known_answer(world, case, superuser):
    school, _ = case
    ranked = suggest(world.program, school, superuser)
    assert [(s.school.short_name, str(s.score)) for s in ranked] == [
        ("Сильная", "1.00"),
        ("Занятая", "0.85"),
        ("Далёкая", "0.70"),
        ("Похожая", "0.50"),
        ("МБОУ «Нижнесортымская СОШ»", "0.40"),
    ]
    best = ranked[0]
    assert any("сильна там, где школа слаба" in r and "3.2" in r for r in best.reasons)
    assert "тот же муниципалитет: Сургутский район" in best.reasons
    assert "уже курирует школ: 3" in ranked[1].warnings
    assert any("тот же высокий риск" in w for w in ranked[3].warnings)


def test_candidates_are_what_the_coordinator_sees(world, case):
    school, _ = case
    names = [s.school.short_name for s in suggest(world.program, school, world.coordinator)]
    assert "Далёкая" not in names and names[0] == "Сильная"


def test_the_coordinator_accepts_a_suggestion_into_a_pair(world, case, as_user):
    school, candidates = case
    client = as_user(world.coordinator)
    page = client.get(reverse("expertise:pairing", args=[world.program.pk]), {"school": school.pk})
    assert page.status_code == 200 and "Сильная" in page.content.decode()
    url = reverse("expertise:pairing_accept", args=[world.program.pk])
    response = client.post(url, {"school": school.pk, "curator_school": candidates["strong"].pk})
    pair = CuratorPair.objects.get(supported_school=school)
    assert response.url == reverse("programs:setup_pair", args=[pair.pk])
    assert pair.curator_school == candidates["strong"]
    assert Participant.objects.filter(
        program=world.program, organization=candidates["strong"], role=Participant.Role.CURATOR
    ).exists()
    # The pair rules hold: a second curator for the same school is refused.
    client.post(url, {"school": school.pk, "curator_school": candidates["busy"].pk})
    assert CuratorPair.objects.filter(supported_school=school).count() == 1


def test_only_the_programs_coordinators_use_it(world, case, as_user):
    school, _ = case
    url = reverse("expertise:pairing", args=[world.program.pk])
    assert as_user(world.school).get(url, {"school": school.pk}).status_code == 403
    assert as_user(world.outsider).get(url).status_code == 404
    assert (
        as_user(world.school)
        .post(reverse("expertise:pairing_accept", args=[world.program.pk]), {"school": school.pk})
        .status_code
        == 403
    )
