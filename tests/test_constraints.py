"""Rules that must never break are refused by the database itself, whatever code writes."""

import datetime
from importlib import import_module

import pytest
from django.db import IntegrityError, connection, transaction

from monitoring.models import Measurement, Target
from programs.models import CuratorPair
from roadmaps.models import RoadmapItem
from schools.models import Organization

from . import factories as f

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_supported_school_has_one_curator_school_per_program():
    pair = f.CuratorPairFactory()
    other_curator = f.OrganizationFactory(municipality=pair.program.municipality)
    refused(
        lambda: CuratorPair.objects.create(
            program=pair.program,
            curator_school=other_curator,
            supported_school=pair.supported_school,
        )
    )
    assert CuratorPair.objects.count() == 1


def test_the_same_school_may_be_supported_in_another_program():
    pair = f.CuratorPairFactory()
    other_program = f.ProgramFactory(owner=pair.program.owner)
    CuratorPair.objects.create(
        program=other_program,
        curator_school=pair.curator_school,
        supported_school=pair.supported_school,
    )
    assert CuratorPair.objects.count() == 2


def test_a_school_never_curates_itself():
    program = f.ProgramFactory()
    school = f.OrganizationFactory()
    refused(
        lambda: CuratorPair.objects.create(
            program=program, curator_school=school, supported_school=school
        )
    )
    assert not CuratorPair.objects.exists()


def test_one_measurement_per_indicator_point_and_organization():
    measurement = f.MeasurementFactory()
    refused(
        lambda: Measurement.objects.create(
            indicator=measurement.indicator,
            point=measurement.point,
            organization=measurement.organization,
            value=10,
        )
    )
    assert Measurement.objects.count() == 1


def test_one_program_wide_measurement_per_indicator_and_point():
    measurement = f.MeasurementFactory(organization=None)
    refused(
        lambda: Measurement.objects.create(
            indicator=measurement.indicator, point=measurement.point, organization=None, value=1
        )
    )
    assert Measurement.objects.count() == 1


def test_one_program_target_per_indicator_and_point():
    target = f.TargetFactory(organization=None)
    refused(
        lambda: Target.objects.create(
            indicator=target.indicator, point=target.point, organization=None, value=90
        )
    )
    assert Target.objects.count() == 1


def test_an_item_is_not_due_before_it_starts():
    roadmap = f.RoadmapFactory()
    refused(
        lambda: RoadmapItem.objects.create(
            roadmap=roadmap,
            title="Мониторинг",
            starts_on=datetime.date(2023, 5, 1),
            due_on=datetime.date(2023, 4, 30),
        )
    )
    assert not RoadmapItem.objects.exists()


def test_an_item_may_start_and_end_on_the_same_day():
    item = f.RoadmapItemFactory(
        starts_on=datetime.date(2023, 5, 31), due_on=datetime.date(2023, 5, 31)
    )
    assert item.pk


def test_an_existing_item_cannot_be_moved_before_its_start():
    item = f.RoadmapItemFactory()
    refused(lambda: RoadmapItem.objects.filter(pk=item.pk).update(due_on=datetime.date(2023, 1, 1)))
    item.refresh_from_db()
    assert item.due_on == datetime.date(2023, 5, 31)


def test_a_branch_parent_is_a_school():
    authority = f.AuthorityFactory()
    refused(lambda: f.OrganizationFactory(municipality=authority.municipality, parent=authority))
    assert not Organization.objects.filter(parent=authority).exists()


def test_a_branch_parent_is_not_itself_a_branch():
    school = f.OrganizationFactory()
    branch = f.OrganizationFactory(municipality=school.municipality, parent=school)
    refused(lambda: f.OrganizationFactory(municipality=school.municipality, parent=branch))
    assert list(Organization.objects.filter(parent__isnull=False)) == [branch]


def test_a_school_with_branches_cannot_become_an_authority():
    school = f.OrganizationFactory()
    f.OrganizationFactory(municipality=school.municipality, parent=school)
    refused(lambda: Organization.objects.filter(pk=school.pk).update(kind="authority"))
    school.refresh_from_db()
    assert school.kind == "school"


def test_an_existing_organization_cannot_be_moved_under_an_authority():
    school = f.OrganizationFactory()
    authority = f.AuthorityFactory(municipality=school.municipality)
    refused(lambda: Organization.objects.filter(pk=school.pk).update(parent=authority))
    school.refresh_from_db()
    assert school.parent_id is None


def test_only_a_school_can_be_a_branch():
    school = f.OrganizationFactory()
    refused(lambda: f.AuthorityFactory(municipality=school.municipality, parent=school))


def test_an_organization_is_not_its_own_branch():
    school = f.OrganizationFactory()
    refused(lambda: Organization.objects.filter(pk=school.pk).update(parent=school))


def test_an_approved_measurement_has_a_value():
    refused(lambda: f.MeasurementFactory(value=None, status=Measurement.Status.APPROVED))


# The triggers the migrations write, per database. SQLite drops a table's triggers when a later
# migration rebuilds the table (schools/migrations/0009 had to write the branch rules again):
# this fails when a migration forgot to.
TRIGGERS = {
    "sqlite": {
        "auditevent_append_only",
        "organization_branch_parent_insert",
        "organization_branch_parent_update",
        "pair_not_mutual_insert",
        "pair_not_mutual_update",
        *import_module("monitoring.migrations.0006_sheet_tally").TRIGGERS["sqlite"],
    },
    "postgresql": {
        "auditevent_append_only",
        "organization_branch_parent",
        "pair_not_mutual",
        *import_module("monitoring.migrations.0006_sheet_tally").TRIGGERS["postgresql"],
    },
}


def installed_triggers():
    """The names of the triggers in the database, on SQLite or PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def test_every_trigger_is_there_after_all_migrations():
    assert TRIGGERS[connection.vendor] <= installed_triggers()
