"""The waiting values of a coordinator's home are counted as a union of plain conditions, the
ways of seeing and of approving a value, not one OR over every waiting value: the same values
as `approvable_by`, in queries that do not grow with the number of schools."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.notices_round import build
from monitoring.models import Measurement, measurements
from monitoring.models.measurements import APPROVABLE_BY_KEY
from programs.models import Program
from schools.models import Membership, Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


def union_of_parts(user, queryset=None):
    queryset = queryset if queryset is not None else Measurement.objects.all()
    found = set()
    for part in queryset.approvable_parts(user):
        found |= set(part.values_list("pk", flat=True))
    return found


def test_the_parts_together_are_exactly_what_each_person_may_approve():
    build(5)
    # A value the coordinator entered: nobody approves their own.
    coordinator = get_user_model().objects.get(username="coordinator")
    Measurement.objects.filter(pk=Measurement.objects.order_by("pk")[0].pk).update(
        entered_by=coordinator
    )
    admin = get_user_model().objects.create(username="admin", is_superuser=True)
    people = list(get_user_model().objects.all())
    assert admin in people
    approvers = 0
    for user in people:
        expected = set(Measurement.objects.approvable_by(user).values_list("pk", flat=True))
        assert union_of_parts(user) == expected, user
        assert Measurement.objects.count_approvable_up_to(user, 1000) == len(expected)
        approvers += bool(expected)
    # The coordinator, each curator and the superuser approve; staff do not.
    assert approvers == 5 + 2
    assert len(union_of_parts(coordinator)) == 4


def test_the_count_stops_one_past_the_cap():
    build(5)
    coordinator = get_user_model().objects.get(username="coordinator")
    assert Measurement.objects.awaiting_approval().count_approvable_up_to(coordinator, 3) == 4
    assert Measurement.objects.awaiting_approval().count_approvable_up_to(coordinator, 10) == 5


def federal_home_world(schools):
    """A federal program of the ministry with `schools` supported schools, half in the
    ministry's region and half elsewhere, each with a value waiting for approval."""
    ministry_region = f.RegionFactory()
    ministry = f.AuthorityFactory(region=ministry_region, municipality=None)
    program = f.ProgramFactory(
        owner=ministry, level=Program.Level.FEDERAL, region=None, municipality=None
    )
    point = f.MonitoringPointFactory(program=program)
    indicator = f.IndicatorFactory(program=program)
    other = f.MunicipalityFactory()
    near = f.MunicipalityFactory(region=ministry_region)
    for n in range(schools):
        place = near if n % 2 else other
        school = f.OrganizationFactory(
            kind=Organization.Kind.SCHOOL, region=place.region, municipality=place
        )
        f.ParticipantFactory(program=program, organization=school)
        f.MeasurementFactory(
            indicator=indicator,
            point=point,
            organization=school,
            status=Measurement.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
    user = f.UserFactory()
    Membership.objects.create(user=user, organization=ministry, role="coordinator")
    return user


@pytest.mark.parametrize("schools", [5, 50])
def test_the_federal_home_costs_the_same_queries_for_5_and_50_schools(schools, as_user):
    user = federal_home_world(schools)
    client = as_user(user)
    client.get(reverse("home"))  # sessions, content types: what any earlier page read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    # The ministry approves the values of the schools of its own region, which it sees.
    assert response.context["awaiting_count"] == schools // 2
    assert len(queries) == FEDERAL_HOME_QUERIES


# Two of them read the values the ministry may approve, then group them by key.
FEDERAL_HOME_QUERIES = 30


@pytest.mark.parametrize("by_key_up_to", [APPROVABLE_BY_KEY, 3, 0])
def test_picked_through_the_parts_are_the_same_rows(by_key_up_to, monkeypatch):
    """By key or as a subquery (past `APPROVABLE_BY_KEY`), the same rows."""
    monkeypatch.setattr(measurements, "APPROVABLE_BY_KEY", by_key_up_to)
    build(5)
    for user in get_user_model().objects.all():
        waiting = Measurement.objects.awaiting_approval()
        assert set(waiting.approvable_in_parts(user)) == set(
            Measurement.objects.approvable_by(user).awaiting_approval()
        )
