"""The share of participants whose documents passed expertise, per kind and per territory,
against the order's threshold, with the documents counted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from expertise.models import PassThreshold
from expertise.thresholds import ALL_CONCEPT, pass_shares
from programs.models import Document, Participant

from .. import factories as f

APPROVED, SUBMITTED = Document.Status.APPROVED, Document.Status.SUBMITTED
ANTI_RISK = Document.Kind.ANTI_RISK_PROGRAM


@pytest.fixture
def five_schools(world):
    """Five supported schools: four in the program's municipality, one in the other."""
    schools = [world.supported_school]
    for n in range(3):
        schools.append(
            f.OrganizationFactory(municipality=world.municipality, short_name=f"СОШ {n}")
        )
    schools.append(
        f.OrganizationFactory(municipality=world.other_municipality, short_name="СОШ Мегион")
    )
    for school in schools[1:]:
        f.ParticipantFactory(
            program=world.program, organization=school, role=Participant.Role.SUPPORTED
        )
    PassThreshold.objects.create(
        program=world.program, kind=ALL_CONCEPT, share=Decimal(80), wording="не менее 80 %"
    )
    concept = Document.Kind.DEVELOPMENT_CONCEPT
    # passed: 0 (concept approved), 1 (two approved), 4 (anti-risk approved)
    f.DocumentFactory(
        program=world.program,
        organization=schools[0],
        kind=concept,
        status=APPROVED,
        title="Концепция 0",
    )
    f.DocumentFactory(program=world.program, organization=schools[1], kind=concept, status=APPROVED)
    f.DocumentFactory(
        program=world.program, organization=schools[1], kind=ANTI_RISK, status=APPROVED
    )
    f.DocumentFactory(
        program=world.program, organization=schools[4], kind=ANTI_RISK, status=APPROVED
    )
    # not passed: 2 (one approved, one still under review), 3 (no document)
    f.DocumentFactory(program=world.program, organization=schools[2], kind=concept, status=APPROVED)
    f.DocumentFactory(
        program=world.program, organization=schools[2], kind=ANTI_RISK, status=SUBMITTED
    )
    # Another program's document does not count.
    f.DocumentFactory(organization=schools[3], kind=concept, status=APPROVED)
    return schools


def _shares(world):
    from dashboards.effectiveness import supported_schools

    return pass_shares(world.program, supported_schools(world.program))


def test_the_share_over_all_concept_documents_against_the_threshold(world, five_schools):
    all_kinds = _shares(world)["kinds"][0]
    assert all_kinds.kind == ALL_CONCEPT
    assert (all_kinds.passed, all_kinds.total, all_kinds.share) == (3, 5, Decimal("60.0"))
    assert all_kinds.met is False
    reasons = {s.name: s.reason for s in all_kinds.not_counted}
    assert reasons["СОШ 1"] == "не пройдена: на проверке"
    assert reasons["СОШ 2"] == "документ не представлен"


def test_per_kind_and_per_territory(world, five_schools):
    shares = _shares(world)
    by_kind = {row.kind: row for row in shares["kinds"]}
    assert (by_kind[ANTI_RISK].passed, by_kind[ANTI_RISK].total) == (2, 5)
    territories = dict(shares["territories"])
    megion = {row.kind: row for row in territories["г. Мегион"]}
    assert (megion[ALL_CONCEPT].passed, megion[ALL_CONCEPT].total) == (1, 1)
    surgut = {row.kind: row for row in territories["Сургутский район"]}
    assert (surgut[ALL_CONCEPT].passed, surgut[ALL_CONCEPT].total) == (2, 4)


def test_schools_of_several_regions_are_summed_per_region(world, five_schools):
    """A national program's table has a row per region, not one per municipality."""
    far = f.OrganizationFactory(
        municipality=f.MunicipalityFactory(name="Хунзахский район", region__name="Дагестан"),
        short_name="Хунзахская СОШ",
    )
    f.ParticipantFactory(program=world.program, organization=far, role=Participant.Role.SUPPORTED)
    f.DocumentFactory(program=world.program, organization=far, kind=ANTI_RISK, status=APPROVED)
    territories = dict(_shares(world)["territories"])
    assert set(territories) == {"Дагестан", world.municipality.region.name}
    home = {row.kind: row for row in territories[world.municipality.region.name]}
    assert (home[ALL_CONCEPT].passed, home[ALL_CONCEPT].total) == (3, 5)
    dagestan = {row.kind: row for row in territories["Дагестан"]}
    assert (dagestan[ALL_CONCEPT].passed, dagestan[ALL_CONCEPT].total) == (1, 1)


def test_the_dashboard_shows_it_and_the_drill_down_lists_the_documents(
    world, five_schools, as_user
):
    client = as_user(world.region_coordinator)
    page = client.get(reverse("dashboards:dashboard", args=[world.program.pk])).content.decode()
    assert "3 из 5" in page and "не менее 80 %" in page
    detail = client.get(reverse("dashboards:expertise", args=[world.program.pk]) + "?kind=")
    text = detail.content.decode()
    assert "Концепция 0" in text and "документ не представлен" in text
    assert text.count('class="counted"') == 3 and text.count('class="not-counted"') == 2


def test_the_drill_down_follows_the_dashboards_rule(world, five_schools, as_user):
    url = reverse("dashboards:expertise", args=[world.program.pk])
    assert as_user(world.school).get(url).status_code == 403
    assert as_user(world.outsider).get(url).status_code == 404


def test_the_query_count_does_not_grow_with_schools(
    world, five_schools, django_assert_max_num_queries
):
    from dashboards.effectiveness import supported_schools

    with django_assert_max_num_queries(3):
        shares = pass_shares(world.program, supported_schools(world.program))
        [row.share for row in shares["kinds"]]
