"""The access rules as querysets, for each of the named people of `world`."""

import pytest

from core.access import reach
from monitoring.models import Measurement
from programs.models import Document, Program
from roadmaps.models import Roadmap, RoadmapItem
from schools.models import Organization

from . import factories as f

pytestmark = pytest.mark.django_db


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_programs_each_person_sees(world):
    other_program = f.ProgramFactory(owner=world.other_authority)
    seen = {name: ids(Program.objects.visible_to(user)) for name, user in world.people.items()}
    assert seen == {
        "region": {world.program.pk, other_program.pk},
        "coordinator": {world.program.pk},
        "other_coordinator": {other_program.pk},
        "curator": {world.program.pk},
        "school": {world.program.pk},
        "outsider": set(),
    }


def test_programs_each_person_may_change(world):
    other_program = f.ProgramFactory(owner=world.other_authority)
    editable = {name: ids(Program.objects.editable_by(user)) for name, user in world.people.items()}
    assert editable == {
        "region": {world.program.pk, other_program.pk},
        "coordinator": {world.program.pk},
        "other_coordinator": {other_program.pk},
        "curator": set(),
        "school": set(),
        "outsider": set(),
    }


def test_anonymous_and_unattached_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    lonely = f.UserFactory(username="lonely")
    for user in (AnonymousUser(), lonely):
        assert not Program.objects.visible_to(user).exists()
        assert not Organization.objects.visible_to(user).exists()


def test_superuser_sees_everything(world, superuser):
    assert ids(Program.objects.visible_to(superuser)) == ids(Program.objects.all())


def test_schools_each_person_sees(world):
    w = world
    schools = {
        name: ids(Organization.objects.visible_to(u).schools()) for name, u in w.people.items()
    }
    everything = {w.curator_school.pk, w.supported_school.pk, w.branch.pk, w.outsider_school.pk}
    assert schools["region"] == everything
    assert schools["coordinator"] == {w.curator_school.pk, w.supported_school.pk, w.branch.pk}
    assert schools["other_coordinator"] == {w.outsider_school.pk}
    # A curator sees their own school and the school they curate, not its branch.
    assert schools["curator"] == {w.curator_school.pk, w.supported_school.pk}
    # School staff see their school and its branches.
    assert schools["school"] == {w.supported_school.pk, w.branch.pk}
    assert schools["outsider"] == {w.outsider_school.pk}


def test_school_data_each_person_may_change(world):
    w = world
    editable = {
        name: ids(Organization.objects.data_editable_by(u).schools())
        for name, u in w.people.items()
    }
    assert editable["school"] == {w.supported_school.pk, w.branch.pk}
    assert editable["curator"] == {w.curator_school.pk}
    assert editable["outsider"] == {w.outsider_school.pk}
    assert editable["coordinator"] == {w.curator_school.pk, w.supported_school.pk, w.branch.pk}
    assert w.supported_school.pk not in editable["other_coordinator"]


def test_viewer_role_sees_but_does_not_change(world):
    from schools.models import Membership

    viewer = f.UserFactory(username="viewer")
    f.MembershipFactory(
        user=viewer, organization=world.supported_school, role=Membership.Role.VIEWER
    )
    assert world.supported_school in Organization.objects.visible_to(viewer)
    assert not Organization.objects.data_editable_by(viewer).exists()


def test_reach_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.school
    with django_assert_num_queries(3):
        reach(user)
    with django_assert_num_queries(0):
        reach(user)


def test_roadmaps_of_a_school_are_seen_only_by_those_who_see_the_school(world):
    w = world
    program_roadmap = f.RoadmapFactory(program=w.program)
    school_roadmap = f.RoadmapFactory(
        program=w.program, level=Roadmap.Level.SCHOOL, organization=w.curator_school
    )
    assert ids(Roadmap.objects.visible_to(w.school)) == {program_roadmap.pk}
    assert ids(Roadmap.objects.visible_to(w.curator)) == {program_roadmap.pk, school_roadmap.pk}
    assert not Roadmap.objects.visible_to(w.outsider).exists()


def test_pair_roadmap_is_changed_by_its_curator_not_by_the_school(world):
    w = world
    pair_roadmap = f.RoadmapFactory(program=w.program, level=Roadmap.Level.PAIR, pair=w.pair)
    assert ids(Roadmap.objects.editable_by(w.curator)) == {pair_roadmap.pk}
    assert not Roadmap.objects.editable_by(w.school).exists()
    assert ids(Roadmap.objects.editable_by(w.coordinator)) == {pair_roadmap.pk}


def test_progress_is_reported_by_responsible_schools(world):
    w = world
    roadmap = f.RoadmapFactory(program=w.program)
    theirs = f.RoadmapItemFactory(roadmap=roadmap)
    theirs.responsible.add(w.supported_school)
    not_theirs = f.RoadmapItemFactory(roadmap=roadmap)
    assert ids(RoadmapItem.objects.reportable_by(w.school)) == {theirs.pk}
    # The curator of the responsible school may report on its behalf.
    assert ids(RoadmapItem.objects.reportable_by(w.curator)) == {theirs.pk}
    assert ids(RoadmapItem.objects.reportable_by(w.coordinator)) == {theirs.pk, not_theirs.pk}
    assert not RoadmapItem.objects.reportable_by(w.outsider).exists()
    assert not RoadmapItem.objects.reportable_by(w.other_coordinator).exists()


def test_measurements_access(world):
    w = world
    indicator = f.IndicatorFactory(program=w.program)
    point = f.MonitoringPointFactory(program=w.program)
    value = f.MeasurementFactory(indicator=indicator, point=point, organization=w.supported_school)
    curator_value = f.MeasurementFactory(
        indicator=indicator, point=point, organization=w.curator_school
    )
    assert ids(Measurement.objects.visible_to(w.school)) == {value.pk}
    assert ids(Measurement.objects.editable_by(w.school)) == {value.pk}
    assert ids(Measurement.objects.approvable_by(w.school)) == set()
    assert ids(Measurement.objects.approvable_by(w.curator)) == {value.pk}
    assert ids(Measurement.objects.visible_to(w.curator)) == {value.pk, curator_value.pk}
    assert ids(Measurement.objects.approvable_by(w.coordinator)) == {value.pk, curator_value.pk}
    assert not Measurement.objects.visible_to(w.outsider).exists()
    assert not Measurement.objects.visible_to(w.other_coordinator).exists()


def test_documents_are_seen_by_assigned_experts_only(world):
    from programs.models import Review

    w = world
    document = f.DocumentFactory(program=w.program, organization=w.supported_school)
    expert = f.UserFactory(username="expert")
    assert not Document.objects.visible_to(expert).exists()
    Review.objects.create(document=document, reviewer=expert)
    assert ids(Document.objects.visible_to(expert)) == {document.pk}
    assert ids(Document.objects.reviewable_by(expert)) == {document.pk}
    assert w.program in Program.objects.visible_to(expert)
    assert ids(Document.objects.editable_by(w.school)) == {document.pk}
    assert not Document.objects.editable_by(w.curator).exists()
    assert not Document.objects.visible_to(w.outsider).exists()


def test_what_a_user_may_change_never_exceeds_what_they_see(world):
    """The ministry owns a federal program with a school in another region: its coordinator sets
    the program up, but neither sees nor changes that school's roadmap and values."""
    from programs.models import Program as ProgramModel

    federal = f.ProgramFactory(
        owner=world.ministry, level=ProgramModel.Level.FEDERAL, region=None, municipality=None
    )
    far_school = f.OrganizationFactory()  # in a region of its own
    f.ParticipantFactory(program=federal, organization=far_school)
    roadmap = f.RoadmapFactory(program=federal, level=Roadmap.Level.SCHOOL, organization=far_school)
    item = f.RoadmapItemFactory(roadmap=roadmap)
    value = f.MeasurementFactory(
        indicator=f.IndicatorFactory(program=federal),
        point=f.MonitoringPointFactory(program=federal),
        organization=far_school,
    )
    coordinator = world.region_coordinator
    assert federal in ProgramModel.objects.editable_by(coordinator)
    assert roadmap not in Roadmap.objects.visible_to(coordinator)
    assert roadmap not in Roadmap.objects.editable_by(coordinator)
    assert item not in RoadmapItem.objects.editable_by(coordinator)
    assert value not in Measurement.objects.editable_by(coordinator)
    for model in (Roadmap, RoadmapItem, Measurement):
        for person in world.people.values():
            editable = set(model.objects.editable_by(person).values_list("pk", flat=True))
            visible = set(model.objects.visible_to(person).values_list("pk", flat=True))
            assert editable <= visible, (model.__name__, person.username)
