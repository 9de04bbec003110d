"""A program's reports cover what its dashboard covers, for each person: the coordinator of the
ministry that owns a federal program watches all of it, its schools in other regions included,
on the dashboard and in the monitoring note, the passport, event participation and the
half-year report alike; a municipality's coordinator gets their municipality in both. The
schools' own pages stay territorial: the owner's coordinator still gets a 404 for the school
page and the entry sheet of a school in another region."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.scope import Scope
from monitoring.models import Measurement, MonitoringPoint, Target
from programs.models import Program
from reports.kinds import KINDS
from schools.models import Membership
from tests import factories as f

from .reporting import facts, table
from .test_national_reports import mean_at

pytestmark = pytest.mark.django_db

APPROVED = Measurement.Status.APPROVED
SPRING_DATE = datetime.date(2023, 5, 31)


def coordinator_of(organization, username):
    user = f.UserFactory(username=username)
    f.MembershipFactory(user=user, organization=organization, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def federal(db):
    """A federal program owned by a ministry that sits in Moscow, with a supported school near
    it (in Moscow) and one far away (in Пермский край), each paired and with approved values of
    one indicator at the baseline and in spring; the far school came to the program's seminar.
    The people: the ministry's coordinator and the coordinator of the far municipality."""
    moscow = f.RegionFactory(name="г. Москва", code="77")
    perm = f.RegionFactory(name="Пермский край", code="59")
    arbat = f.MunicipalityFactory(region=moscow, name="район Арбат")
    kungur = f.MunicipalityFactory(region=perm, name="Кунгурский округ")
    ministry = f.AuthorityFactory(
        region=moscow, municipality=None, short_name="Министерство просвещения"
    )
    kungur_authority = f.AuthorityFactory(
        municipality=kungur, short_name="Управление образования Кунгура"
    )
    program = f.ProgramFactory(
        owner=ministry,
        level=Program.Level.FEDERAL,
        region=None,
        municipality=None,
        short_title="500+",
    )
    curator = f.OrganizationFactory(municipality=arbat, short_name="Гимназия № 1")
    near = f.OrganizationFactory(municipality=arbat, short_name="СОШ № 10 (Арбат)")
    far = f.OrganizationFactory(municipality=kungur, short_name="СОШ № 20 (Кунгур)")
    for school in (near, far):
        f.CuratorPairFactory(program=program, curator_school=curator, supported_school=school)
    base = f.MonitoringPointFactory(
        program=program,
        kind=MonitoringPoint.Kind.BASELINE,
        title="База",
        date=datetime.date(2023, 1, 15),
    )
    spring = f.MonitoringPointFactory(program=program, title="Весна", date=SPRING_DATE)
    indicator = f.IndicatorFactory(program=program, code="1", title="Доля обучающихся")
    Target.objects.create(indicator=indicator, point=spring, value=60)
    for school, before, after in ((near, 40, 70), (far, 30, 50)):
        for point, value in ((base, before), (spring, after)):
            f.MeasurementFactory(
                indicator=indicator, point=point, organization=school, value=value, status=APPROVED
            )
    seminar = f.EventFactory(
        program=program,
        title="Семинар «Школа без неуспеха»",
        starts_at=timezone.make_aware(datetime.datetime(2023, 3, 1, 10)),
    )
    seminar.invited.add(near, far)
    f.AttendanceFactory(event=seminar, organization=far, people_count=2)
    return SimpleNamespace(
        program=program,
        ministry=ministry,
        kungur=kungur,
        moscow=moscow,
        near=near,
        far=far,
        base=base,
        spring=spring,
        indicator=indicator,
        owner_coordinator=coordinator_of(ministry, "ministry"),
        kungur_coordinator=coordinator_of(kungur_authority, "kungur"),
    )


def dashboard(client, program):
    response = client.get(reverse("dashboards:dashboard", args=[program.pk]))
    assert response.status_code == 200
    return response.context


def spring_cell(context, federal):
    row = next(r for r in context["indicators"]["rows"] if r.indicator == federal.indicator)
    return next(c for c in row.cells if c["point"] == federal.spring)


def report_page(client, slug, subject, **query):
    response = client.get(reverse("reports:report", args=[slug, subject.pk]), query)
    assert response.status_code == 200
    return response.context["report"]


def pair_schools(passport):
    return {r.values[2] for r in table(passport, "Пары «куратор — школа»").data_rows}


def participation_schools(events):
    return {r.values[0] for r in table(events, "Участие школ").data_rows}


def test_the_owner_s_coordinator_gets_the_whole_program_as_on_the_dashboard(federal, as_user):
    client = as_user(federal.owner_coordinator)
    context = dashboard(client, federal.program)
    cell = spring_cell(context, federal)
    schools = context["completeness"]["school_count"]
    assert schools == 2

    note = report_page(client, "note", federal.spring)
    assert facts(note, "Общие сведения")["Школ"] == schools
    # The far school's own values are in the note, and its value in the mean of the schools.
    values = table(note, "Значения на точке")
    assert {r.values[0] for r in values.data_rows} >= {
        federal.near.short_name,
        federal.far.short_name,
    }
    assert mean_at(note, federal.indicator, federal.spring.title) == Decimal(
        cell["average"]
    ).quantize(Decimal("0.01"))
    assert Decimal(cell["average"]) == Decimal(60)

    passport = report_page(client, "passport", federal.program)
    assert pair_schools(passport) == {federal.near.short_name, federal.far.short_name}
    assert len(pair_schools(passport)) == schools

    events = report_page(client, "events", federal.program)
    assert participation_schools(events) == {federal.near.short_name, federal.far.short_name}
    assert facts(events, "Итоги")["Участвовали хотя бы в одном событии"].startswith(
        f"1 из {schools} "
    )

    half_year = report_page(
        client, "half-year", federal.program, **{"from": "2023-01-01", "to": "2023-12-31"}
    )
    summary = facts(half_year, "Итоги периода")
    assert summary["Школ адресной поддержки, участвовавших в событиях"] == f"1 из {schools}"


def test_a_region_of_the_program_is_the_region_s_dashboard(federal, as_user):
    client = as_user(federal.owner_coordinator)
    perm = federal.far.region
    response = client.get(
        reverse("dashboards:dashboard", args=[federal.program.pk]), {"region": perm.pk}
    )
    assert response.context["completeness"]["school_count"] == 1
    note = report_page(client, "note", federal.spring, region=perm.pk)
    assert facts(note, "Общие сведения")["Школ"] == 1
    assert "— Пермский край" in note.subtitle
    assert pair_schools(report_page(client, "passport", federal.program, region=perm.pk)) == {
        federal.far.short_name
    }


def test_the_municipal_coordinator_still_gets_their_municipality(federal, as_user):
    client = as_user(federal.kungur_coordinator)
    context = dashboard(client, federal.program)
    assert context["completeness"]["school_count"] == 1
    cell = spring_cell(context, federal)

    note = report_page(client, "note", federal.spring)
    assert facts(note, "Общие сведения")["Школ"] == 1
    assert "— Кунгурский округ" in note.subtitle
    assert mean_at(note, federal.indicator, federal.spring.title) == Decimal(
        cell["average"]
    ).quantize(Decimal("0.01"))
    assert Decimal(cell["average"]) == Decimal(50)
    assert pair_schools(report_page(client, "passport", federal.program)) == {
        federal.far.short_name
    }
    assert participation_schools(report_page(client, "events", federal.program)) == {
        federal.far.short_name
    }
    # The rest of the program stays out of their reach, in every report of it.
    for slug, subject in (("note", federal.spring), ("passport", federal.program)):
        address = reverse("reports:report", args=[slug, subject.pk])
        assert client.get(address, {"region": federal.moscow.pk}).status_code == 404
        assert client.get(address, {"municipality": federal.near.municipality_id}).status_code == (
            404
        )


def test_a_report_built_for_a_territory_out_of_reach_is_refused(federal):
    """The rule is applied by the report itself, not only by the views that ask for it."""
    from django.http import Http404

    with pytest.raises(Http404):
        KINDS["passport"].build(
            federal.program,
            federal.kungur_coordinator,
            scope=Scope(municipality=federal.near.municipality),
        )


def test_the_far_school_s_own_pages_stay_out_of_the_owner_s_reach(federal, as_user):
    client = as_user(federal.owner_coordinator)
    assert client.get(reverse("school", args=[federal.far.pk])).status_code == 404
    entry = reverse("monitoring:entry", args=[federal.spring.pk, federal.far.pk])
    assert client.get(entry).status_code == 404
    # Their school card too: a report about one school follows the school's page.
    assert client.get(reverse("reports:report", args=["school", federal.far.pk])).status_code == (
        404
    )
    # The school of the ministry's own region is theirs to open.
    assert client.get(reverse("school", args=[federal.near.pk])).status_code == 200


@pytest.mark.parametrize("slug", ["note", "passport", "events", "half-year"])
def test_the_owner_s_reports_make_as_many_queries_for_many_far_schools_as_for_one(
    federal, as_user, slug
):
    subject = federal.spring if slug == "note" else federal.program
    client = as_user(federal.owner_coordinator)
    address = reverse("reports:report", args=[slug, subject.pk])
    query = {"from": "2023-01-01", "to": "2023-12-31"} if slug == "half-year" else {}
    with CaptureQueriesContext(connection) as few:
        assert client.get(address, query).status_code == 200
    curator = f.OrganizationFactory(municipality=federal.kungur, short_name="Гимназия Кунгура")
    for n in range(6):
        school = f.OrganizationFactory(municipality=federal.kungur, short_name=f"Школа {n}")
        f.CuratorPairFactory(
            program=federal.program, curator_school=curator, supported_school=school
        )
        f.MeasurementFactory(
            indicator=federal.indicator,
            point=federal.spring,
            organization=school,
            value=40 + n,
            status=APPROVED,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(address, query).status_code == 200
    assert len(many) == len(few)
