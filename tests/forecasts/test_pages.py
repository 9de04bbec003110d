"""Where people see the forecasts: the dashboards' «риск недостижения целей» section (within the
dashboard's scope, a school's name a link only where the viewer may open its page), the school
page and the curator's home; each read from the stored table in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.scope import Scope
from forecasts.compute import recompute
from forecasts.models import Forecast
from forecasts.sections import TOP, dashboard_section
from programs.models import Participant
from schools.models import Membership
from tests import factories as f

from .conftest import approve, supported


def grow(world, trajectories, n):
    """n more supported schools falling away from the target, each at risk."""
    start = Participant.objects.filter(program=world.program).count()
    for k in range(n):
        school = supported(world, f"МБОУ «СОШ №{start + k}»")
        for point, value in zip(trajectories.points, (60 - k % 7, 50 - k % 5), strict=False):
            approve(trajectories.indicator, point, school, value)
    recompute(world.program)


def dashboard(world):
    return reverse("dashboards:dashboard", args=[world.program.pk])


def test_the_program_dashboard_lists_the_schools_at_risk_with_their_reasons(
    world, trajectories, as_user
):
    recompute(world.program)
    response = as_user(world.coordinator).get(dashboard(world))
    section = response.content.decode()
    assert "Риск недостижения целей" in section
    school_url = reverse("school", args=[trajectories.falling.pk])
    assert f'href="{school_url}#forecasts"' in section
    assert "1: снижение по двум точкам" in section
    assert "в зоне риска: <strong>1</strong>" in section
    assert "низкая" in section  # how sure: two points
    assert trajectories.rising.short_name not in section


def test_the_section_follows_the_dashboards_scope(world, trajectories, as_user):
    recompute(world.program)
    client = as_user(world.region_coordinator)
    other = f"{dashboard(world)}?municipality={world.other_municipality.pk}"
    assert trajectories.falling.short_name not in client.get(other).content.decode()
    own = f"{dashboard(world)}?municipality={world.municipality.pk}"
    assert trajectories.falling.short_name in client.get(own).content.decode()


def test_a_school_is_named_without_a_link_where_the_viewer_may_not_open_it(world, trajectories):
    # The program's operator elsewhere watches the whole program, not its schools' pages.
    centre = f.OrganizationFactory(
        municipality=world.other_municipality, kind="methodical_center", short_name="ИМЦ"
    )
    world.program.operator = centre
    world.program.save()
    watcher = f.UserFactory(username="operator")
    f.MembershipFactory(user=watcher, organization=centre, role=Membership.Role.STAFF)
    recompute(world.program)
    figures = dashboard_section(watcher, [world.program], Scope())
    [row] = figures["schools"]
    assert row.name == trajectories.falling.short_name and not row.linked
    own = dashboard_section(world.coordinator, [world.program], Scope())
    assert own["schools"][0].linked


def test_the_territory_dashboard_has_the_section(world, trajectories, as_user):
    recompute(world.program)
    response = as_user(world.coordinator).get(reverse("dashboards:territory"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Риск недостижения целей" in page
    assert trajectories.falling.short_name in page


@pytest.mark.parametrize("person", ["school", "curator", "coordinator"])
def test_the_school_page_shows_its_own_forecasts(world, trajectories, as_user, person):
    recompute(world.program)
    response = as_user(world.people[person]).get(reverse("school", args=[trajectories.falling.pk]))
    page = response.content.decode()
    assert 'id="forecasts"' in page
    assert "снижение по двум точкам" in page
    assert "не менее 70 %" in page


def test_nobody_sees_a_forecast_of_a_school_outside_their_reach(world, trajectories, as_user):
    recompute(world.program)
    assert not Forecast.objects.visible_to(world.outsider).exists()
    assert not Forecast.objects.visible_to(world.other_coordinator).exists()
    assert set(Forecast.objects.visible_to(world.school).values_list("school", flat=True)) == {
        trajectories.falling.pk
    }
    response = as_user(world.outsider).get(reverse("school", args=[trajectories.falling.pk]))
    assert response.status_code == 404


def test_the_curators_home_shows_their_schools_at_risk(world, trajectories, as_user):
    recompute(world.program)
    page = as_user(world.curator).get(reverse("home")).content.decode()
    assert 'id="home-forecasts"' in page
    assert trajectories.falling.short_name in page
    # The school's own staff are not a curator: their home has no such card.
    assert 'id="home-forecasts"' not in as_user(world.school).get(reverse("home")).content.decode()


def section_queries(user, program, scope):
    # A fresh user, as each request has: where they sit is worked out once per request.
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as captured:
        figures = dashboard_section(user, [program], scope)
    return len(captured), figures


# The count by indicator, the totals, the riskiest schools, their forecasts, their signals, which
# of them the viewer may open, and where the viewer sits (`core.access.reach`, once a request).
SECTION_QUERIES = 8


def test_the_sections_query_count_is_pinned_for_5_and_50_schools(world, trajectories, as_user):
    scope = Scope(municipality=world.municipality)
    grow(world, trajectories, 5)
    few, figures = section_queries(world.coordinator, world.program, scope)
    assert figures["at_risk_schools"] == 6
    grow(world, trajectories, 45)
    many, figures = section_queries(world.coordinator, world.program, scope)
    assert figures["at_risk_schools"] == 51
    assert len(figures["schools"]) == TOP and figures["more"] == 51 - TOP
    assert few == many == SECTION_QUERIES
    client = as_user(world.coordinator)
    with CaptureQueriesContext(connection) as page_few:
        client.get(dashboard(world))
    grow(world, trajectories, 1)
    with CaptureQueriesContext(connection) as page_more:
        client.get(dashboard(world))
    assert len(page_few) == len(page_more)
