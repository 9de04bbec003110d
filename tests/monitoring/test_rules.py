"""The rules every figure depends on, each in one place: supported schools, the values that
count, the target that applies, the baseline, improvement, and the verdict on a value. Each test
names a way the pages used to disagree."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dashboards.effectiveness import supported_schools as dashboard_schools
from dashboards.figures import indicator_summary
from dashboards.scope import WHOLE
from monitoring.models import Indicator, Measurement, MonitoringPoint, Target
from programs.models import CuratorPair, Participant, Program
from reports.common import coverage
from reports.common import supported_schools as report_schools
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- Supported schools -------------------------------------------------------------------------


def all_answers(program, school, user):
    """Whether each place that speaks of a program's supported schools counts `school`."""
    return {
        "program": program.supported_schools().contains(school),
        "supporting": Program.objects.supporting([school.pk]).contains(program),
        "dashboard": dashboard_schools(program, WHOLE).contains(school),
        "reports": school.pk in report_schools(coverage(program, user)),
    }


def test_a_pair_made_in_the_shell_counts_its_school_everywhere(world, superuser):
    school = f.OrganizationFactory(municipality=world.municipality)
    CuratorPair.objects.create(
        program=world.program, curator_school=world.curator_school, supported_school=school
    )
    assert set(all_answers(world.program, school, superuser).values()) == {True}


def test_pairs_made_in_bulk_count_their_schools_everywhere(world, superuser):
    schools = [f.OrganizationFactory(municipality=world.municipality) for _ in range(3)]
    CuratorPair.objects.bulk_create(
        CuratorPair(program=world.program, curator_school=world.curator_school, supported_school=s)
        for s in schools
    )
    for school in schools:
        assert set(all_answers(world.program, school, superuser).values()) == {True}
    assert Participant.objects.filter(
        program=world.program, organization=world.curator_school, role="curator"
    ).exists()


def test_a_pair_added_through_the_admin_counts_its_school(world, superuser, client):
    client.force_login(superuser)
    school = f.OrganizationFactory(municipality=world.municipality)
    response = client.post(
        reverse("admin:programs_curatorpair_add"),
        {
            "program": world.program.pk,
            "curator_school": world.curator_school.pk,
            "supported_school": school.pk,
            "number": "7",
            **{
                f"{prefix}-{key}": value
                for prefix in ("curators", "agreements")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert response.status_code == 302
    assert set(all_answers(world.program, school, superuser).values()) == {True}


# --- A pair is never mutual ------------------------------------------------------------------


def test_a_mutual_pair_is_refused_by_the_model(world):
    pair = CuratorPair(
        program=world.program,
        curator_school=world.supported_school,
        supported_school=world.curator_school,
    )
    with pytest.raises(ValidationError) as error:
        pair.full_clean()
    assert CuratorPair.MUTUAL_MESSAGE in error.value.message_dict["supported_school"]


def test_a_mutual_pair_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        CuratorPair.objects.bulk_create(
            [
                CuratorPair(
                    program=world.program,
                    curator_school=world.supported_school,
                    supported_school=world.curator_school,
                )
            ]
        )
    # In another program the same two schools may swap roles.
    other = f.ProgramFactory(owner=world.authority)
    CuratorPair.objects.create(
        program=other, curator_school=world.supported_school, supported_school=world.curator_school
    )


def test_a_pair_changed_into_a_mutual_one_is_refused_by_the_database(world):
    third = f.OrganizationFactory(municipality=world.municipality)
    pair = CuratorPair.objects.create(
        program=world.program, curator_school=world.supported_school, supported_school=third
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CuratorPair.objects.filter(pk=pair.pk).update(supported_school=world.curator_school)


def test_a_mutual_pair_is_refused_in_the_set_up_form_with_a_message(world, as_user):
    response = as_user(world.coordinator).post(
        reverse("programs:setup_pairs", args=[world.program.pk]),
        {
            "number": "2",
            "curator_school": world.supported_school.pk,
            "supported_school": world.curator_school.pk,
        },
    )
    assert response.status_code == 200
    assert CuratorPair.MUTUAL_MESSAGE in response.content.decode()
    assert CuratorPair.objects.filter(program=world.program).count() == 1


# --- Values, targets, baselines, improvement ---------------------------------------------------


@pytest.fixture
def figures(world):
    """Two baselines and a point after them; the world's supported school with an approved
    value at each and a submitted one at the last; a program threshold with no point."""
    program = world.program
    first = f.MonitoringPointFactory(
        program=program, kind="baseline", title="База 2022", date=datetime.date(2022, 5, 31)
    )
    second = f.MonitoringPointFactory(
        program=program, kind="baseline", title="База 2023", date=datetime.date(2023, 1, 31)
    )
    may = f.MonitoringPointFactory(program=program, title="Май", date=datetime.date(2023, 5, 31))
    indicator = f.IndicatorFactory(program=program, direction=Indicator.Direction.DOWN)
    school = world.supported_school
    for point, value in ((first, 50), (second, 30), (may, 20)):
        f.MeasurementFactory(
            indicator=indicator, point=point, organization=school, value=value, status="approved"
        )
    other = f.OrganizationFactory(municipality=world.municipality)
    f.ParticipantFactory(program=program, organization=other)
    f.MeasurementFactory(
        indicator=indicator, point=may, organization=other, value=90, status="submitted"
    )
    threshold = f.TargetFactory(
        indicator=indicator, point=None, value=25, comparison=Target.Comparison.LE
    )
    return {"indicator": indicator, "points": [first, second, may], "threshold": threshold}


def test_only_approved_values_count_on_the_dashboard(world, figures):
    [row] = indicator_summary(world.program, WHOLE)["rows"]
    # The submitted 90 of the other school does not count: the average is the approved 20.
    assert (row.latest, row.measured) == (Decimal(20), 1)
    assert list(Measurement.objects.counted()) == list(
        Measurement.objects.filter(status="approved")
    )


def test_the_standing_threshold_applies_where_a_point_has_no_target(world, figures):
    [row] = indicator_summary(world.program, WHOLE)["rows"]
    assert row.latest_target == figures["threshold"]
    assert row.met == 1  # 20 is «не более 25»


def test_the_target_rule_picks_the_school_first_then_the_point(world, figures):
    indicator, may = figures["indicator"], figures["points"][2]
    school = world.supported_school
    program_at_may = f.TargetFactory(indicator=indicator, point=may, value=22)
    own_standing = f.TargetFactory(indicator=indicator, point=None, organization=school, value=21)
    targets = list(Target.objects.all())
    pick = Target.objects.pick
    assert pick(targets, indicator.pk, may.pk, school.pk) == program_at_may
    assert pick(targets, indicator.pk, may.pk) == program_at_may
    program_at_may.delete()
    targets = list(Target.objects.all())
    assert pick(targets, indicator.pk, may.pk, school.pk) == own_standing
    assert pick(targets, indicator.pk, may.pk) == figures["threshold"]
    own_at_may = f.TargetFactory(indicator=indicator, point=may, organization=school, value=19)
    targets = list(Target.objects.all())
    assert pick(targets, indicator.pk, may.pk, school.pk) == own_at_may
    # The database reads the same target as `pick`.
    assert Target.objects.applying(indicator, may, school).first() == own_at_may
    assert Target.objects.applying(indicator, may, None).first() == figures["threshold"]
    [value] = Measurement.objects.filter(point=may, organization=school).with_target()
    assert (value.target_value, value.meets_target) == (own_at_may.value, True)  # 20 ≥ 19


def test_the_baseline_is_the_latest_baseline_point_on_or_before(world, figures):
    first, second, may = figures["points"]
    assert may.baseline() == second
    assert first.baseline() == first
    assert indicator_summary(world.program, WHOLE)["baseline"] == second
    intermediate = f.MonitoringPointFactory(
        program=world.program, title="Без базы", date=datetime.date(2021, 1, 1)
    )
    # Before any baseline point, the program's first point is the baseline.
    assert intermediate.baseline() == intermediate
    assert MonitoringPoint.baseline_among([], None) is None


def test_improvement_follows_the_direction(world, figures):
    down = figures["indicator"]
    up = f.IndicatorFactory(program=world.program, direction=Indicator.Direction.UP)
    assert (down.movement(30, 20), up.movement(30, 20)) == ("better", "worse")
    assert (down.movement(20, 30), up.movement(20, 30)) == ("worse", "better")
    assert (up.movement(5, 5), up.movement(None, 5)) == ("same", None)
    [row] = [r for r in indicator_summary(world.program, WHOLE)["rows"] if r.indicator == down]
    # 30 at the second baseline → 20 in May is better for «чем меньше, тем лучше».
    assert (row.improved, row.worsened) == (1, 0)


# --- Submit, approve, return -----------------------------------------------------------------


def submitted(world, **fields):
    return f.MeasurementFactory(
        organization=world.supported_school,
        indicator__program=world.program,
        status="submitted",
        **fields,
    )


def test_approving_keeps_the_approvers_note(world, as_user):
    m = submitted(world, entered_by=world.school)
    prefix = f"r{m.pk}"
    as_user(world.curator).post(
        reverse("monitoring:review", args=[m.pk]),
        {f"{prefix}-action": "approve", f"{prefix}-comment": "Сверено с ВПР", f"{prefix}-revision": m.revision},
    )  # fmt: skip
    m.refresh_from_db()
    assert (m.status, m.review_comment) == ("approved", "Сверено с ВПР")


def test_the_admin_approves_through_the_model_and_drops_the_old_comment(world, superuser, client):
    m = submitted(world, review_comment="Проверьте значение")
    client.force_login(superuser)
    client.post(
        reverse("admin:monitoring_measurement_changelist"),
        {"action": "approve", "_selected_action": [m.pk]},
    )
    m.refresh_from_db()
    assert (m.status, m.approved_by, m.review_comment) == ("approved", superuser, "")


def test_the_supported_schools_own_curator_does_not_approve_its_values(world, as_user):
    insider = f.UserFactory(username="insider")
    f.MembershipFactory(user=insider, organization=world.supported_school)
    f.CuratorFactory(pair=world.pair, user=insider, organization=world.supported_school)
    m = submitted(world, entered_by=world.school)
    assert not Measurement.objects.approvable_by(insider).contains(m)
    assert Measurement.objects.approvable_by(world.curator).contains(m)
    home = as_user(insider).get(reverse("home"))
    assert home.context["awaiting_count"] == 0
    page = as_user(insider).get(reverse("monitoring:entry", args=[m.point_id, m.organization_id]))
    assert not page.context["reviewing"]


def test_whoever_entered_a_value_never_approves_it(world):
    m = submitted(world, entered_by=world.coordinator)
    assert not Measurement.objects.approvable_by(world.coordinator).contains(m)
    assert Measurement.objects.approvable_by(world.region_coordinator).contains(m)
    with pytest.raises(ValidationError):
        m.approve(world.coordinator)


def test_a_superuser_who_entered_a_value_is_told_not_to_approve_it(world, superuser, as_user):
    m = submitted(world, entered_by=superuser)
    prefix = f"r{m.pk}"
    response = as_user(superuser).post(
        reverse("monitoring:review", args=[m.pk]),
        {f"{prefix}-action": "approve", f"{prefix}-comment": "", f"{prefix}-revision": m.revision},
    )
    assert response.status_code == 200
    assert "Значение утверждает не тот, кто его внёс." in response.content.decode()
    m.refresh_from_db()
    assert m.status == "submitted"


def test_a_draft_over_a_submitted_value_tells_the_school_it_was_withdrawn(scene, world, as_user):
    side = scene.inside
    m = side.measurement
    page = as_user(world.school).get(
        reverse("monitoring:entry", args=[side.point.pk, side.school.pk])
    )
    assert "будут отозваны с проверки" in page.content.decode()
    data = {"action": "draft"}
    for indicator in side.indicators:
        stored = Measurement.objects.filter(
            point=side.point, organization=side.school, indicator=indicator
        ).first()
        data[f"i{indicator.pk}-value"] = "17" if indicator == side.percent else ""
        data[f"i{indicator.pk}-comment"] = ""
        data[f"i{indicator.pk}-revision"] = stored.revision if stored else 0
    response = as_user(world.school).post(
        reverse("monitoring:entry", args=[side.point.pk, side.school.pk]), data, follow=True
    )
    m.refresh_from_db()
    assert m.status == "draft"
    texts = [str(message) for message in response.context["messages"]]
    assert any(f"показателей {side.percent.code} были на проверке" in t for t in texts), texts


# --- Values are never deleted with their indicator or point -----------------------------------


@pytest.mark.parametrize("model", [Indicator, MonitoringPoint])
def test_the_admin_refuses_to_delete_an_indicator_or_point_with_values(
    world, superuser, client, model
):
    m = submitted(world)
    target = m.indicator if model is Indicator else m.point
    client.force_login(superuser)
    meta = model._meta
    assert model in site._registry
    response = client.post(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[target.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 200
    assert "Не удается удалить" in response.content.decode()
    assert Measurement.objects.filter(pk=m.pk).exists()


def test_the_migration_names_the_schools_of_existing_pairs_as_participants(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("programs.migrations.0003_pair_schools_are_participants")
    school = f.OrganizationFactory(municipality=world.municipality)
    CuratorPair.objects.create(
        program=world.program, curator_school=world.curator_school, supported_school=school
    )
    Participant.objects.filter(organization=school).delete()  # a pair from before the rule
    assert not world.program.supported_schools().contains(school)

    migration.add_participants(apps, None)

    assert world.program.supported_schools().contains(school)


def test_the_school_card_and_half_year_report_apply_the_standing_threshold(world, figures):
    from reports import half_year, school_card

    card = school_card.build(world.supported_school, world.region_coordinator)
    [table] = [t for t in card.tables() if t.title.startswith("Показатели:")]
    plans = {cell for row in table.data_rows for cell in row.cells[4::2]}
    assert Decimal(25) in plans  # the threshold stands at every point without a target

    report = half_year.build(
        world.program,
        world.region_coordinator,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2023, 6, 30),
    )
    [table] = [t for t in report.tables() if t.title == "Мониторинг показателей"]
    assert Decimal(25) in [row.cells[4] for row in table.data_rows]


def test_a_change_is_favourable_by_the_indicators_direction(world):
    up = f.IndicatorFactory(program=world.program, code="up", direction="up")
    down = f.IndicatorFactory(program=world.program, code="down", direction="down")
    assert up.favourable(Decimal(5)) == Decimal(5)
    assert down.favourable(Decimal(5)) == Decimal(-5)
    assert down.favourable(None) is None
    # The same rule as in words: a positive favourable change is «better».
    assert down.movement(Decimal(10), Decimal(5)) == down.BETTER
    assert down.favourable(Decimal(5) - Decimal(10)) > 0
