"""A school's home page lists what it saved as a draft and has not sent: values at points
still open for entry and its risk-profile draft, each «черновик, не отправлен» with a link to
finish it. Only the school's own drafts, and never as a coordinator's or curator's to-do."""

import pytest
from django.urls import reverse

from monitoring.models import Measurement
from schools.models import RiskProfile
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT = Measurement.Status.DRAFT


@pytest.fixture
def drafts(scene, world):
    inside, outside = scene.inside, scene.outside
    own = [
        f.MeasurementFactory(
            indicator=inside.count, point=inside.point, organization=world.supported_school,
            value=3, status=DRAFT,
        ),
        f.MeasurementFactory(
            indicator=inside.yes_no, point=inside.point, organization=world.supported_school,
            value=None, comment="уточняем у завуча", status=DRAFT,
        ),
    ]  # fmt: skip
    # Not to finish: an emptied row, a draft at a closed point, a submitted value (the scene's),
    # and another school's draft.
    f.MeasurementFactory(
        indicator=inside.yes_no, point=inside.baseline, organization=world.supported_school,
        value=1, status=DRAFT,
    )  # fmt: skip
    f.MeasurementFactory(
        indicator=f.IndicatorFactory(program=inside.program), point=inside.point,
        organization=world.supported_school, value=None, status=DRAFT,
    )  # fmt: skip
    f.MeasurementFactory(
        indicator=outside.count, point=outside.point, organization=world.outsider_school,
        value=7, status=DRAFT,
    )  # fmt: skip
    own_profile = RiskProfile.objects.create(
        school=world.supported_school, status=RiskProfile.Status.DRAFT
    )
    other_profile = RiskProfile.objects.create(
        school=world.outsider_school, status=RiskProfile.Status.DRAFT
    )
    return own, own_profile, other_profile


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def drafts_section(response):
    html = response.content.decode()
    if 'id="home-drafts"' not in html:
        return ""
    start = html.index('id="home-drafts"')
    return html[start : html.index("</section>", start)]


def test_the_school_sees_exactly_its_own_unsent_drafts(scene, world, as_user, drafts):
    own, own_profile, _ = drafts
    response = home(as_user(world.school))
    assert response.context["draft_values_count"] == 2
    assert [
        (r["point"], r["organization"], r["count"]) for r in response.context["draft_values"]
    ] == [(scene.inside.point.pk, world.supported_school.pk, 2)]
    assert list(response.context["draft_profiles"]) == [own_profile]
    section = drafts_section(response)
    assert section.count("черновик, не отправлен") == 2
    entry = reverse("monitoring:entry", args=[scene.inside.point.pk, world.supported_school.pk])
    assert f'href="{entry}"' in section
    assert f'href="{reverse("schools:risk_profile_edit", args=[own_profile.pk])}"' in section
    assert scene.outside.point.title not in section
    assert scene.inside.baseline.title not in section


def test_another_school_sees_its_own_drafts_not_these(scene, world, as_user, drafts):
    _, own_profile, other_profile = drafts
    response = home(as_user(world.outsider))
    assert response.context["draft_values_count"] == 1
    assert [r["organization"] for r in response.context["draft_values"]] == [
        world.outsider_school.pk
    ]
    assert list(response.context["draft_profiles"]) == [other_profile]
    assert world.supported_school.short_name not in drafts_section(response)


@pytest.mark.parametrize("person", ["coordinator", "region", "curator"])
def test_a_coordinator_or_curator_is_not_given_a_schools_drafts_as_their_to_do(
    scene, world, as_user, drafts, person
):
    response = home(as_user(world.people[person]))
    assert response.context["draft_values_count"] == 0
    assert response.context["draft_profiles_count"] == 0
    assert drafts_section(response) == ""


def test_sent_drafts_leave_the_list(scene, world, as_user, drafts):
    own, own_profile, _ = drafts
    own[0].submit(world.school)
    own[0].save()
    own_profile.assessed_on = scene.today
    own_profile.status = RiskProfile.Status.SUBMITTED
    own_profile.save()
    response = home(as_user(world.school))
    assert response.context["draft_values_count"] == 1
    assert response.context["draft_profiles_count"] == 0
    assert drafts_section(response).count("черновик, не отправлен") == 1


def test_no_drafts_no_section(scene, world, as_user):
    assert drafts_section(home(as_user(world.school))) == ""
