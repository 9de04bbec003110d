"""Who may fetch which file: a school's evidence on a program-wide item is the school's; the
program's own materials are for all who see the item; a pair's agreement is for the pair and
those who run the program."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from programs.models import Participant
from roadmaps.models import Evidence, ItemReport, Roadmap
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def neighbour(world):
    """Staff of another supported school of the same program, with its own pair."""
    school = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Соседняя СОШ»"
    )
    f.ParticipantFactory(
        program=world.program, organization=school, role=Participant.Role.SUPPORTED
    )
    f.CuratorPairFactory(
        program=world.program, curator_school=world.curator_school, supported_school=school
    )
    user = f.UserFactory(username="neighbour")
    f.MembershipFactory(user=user, organization=school, role=Membership.Role.STAFF)
    return user


def evidence(item, organization, name):
    report = ItemReport.objects.create(item=item, organization=organization, status="done")
    file = Evidence(report=report, original_name=name, size=len(PDF))
    file.file.save(name, io.BytesIO(PDF), save=True)
    return file


def fetched(world, as_user, neighbour, url):
    people = {**world.people, "neighbour": neighbour}
    return {name: as_user(user).get(url).status_code for name, user in people.items()}


@pytest.mark.parametrize("level", [Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL])
def test_a_schools_evidence_on_a_shared_item_is_not_for_the_other_schools(
    world, as_user, neighbour, level
):
    item = f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program, level=level))
    own = evidence(item, world.supported_school, "самоанализ.pdf")
    got = fetched(world, as_user, neighbour, reverse("roadmaps:evidence", args=[own.pk]))
    assert got == {
        "region": 200,
        "coordinator": 200,
        "other_coordinator": 404,
        "curator": 200,
        "school": 200,
        "outsider": 404,
        "neighbour": 404,
    }
    # The item page lists it only to those who may fetch it.
    assert "самоанализ.pdf" in as_user(world.school).get(item.get_absolute_url()).content.decode()
    assert "самоанализ.pdf" not in as_user(neighbour).get(item.get_absolute_url()).content.decode()


def test_the_programs_own_material_is_for_everyone_who_sees_the_item(world, as_user, neighbour):
    item = f.RoadmapItemFactory(roadmap=f.RoadmapFactory(program=world.program))
    material = evidence(item, world.authority, "методические рекомендации.pdf")
    got = fetched(world, as_user, neighbour, reverse("roadmaps:evidence", args=[material.pk]))
    assert got == {
        "region": 200,
        "coordinator": 200,
        "other_coordinator": 404,
        "curator": 200,
        "school": 200,
        "outsider": 404,
        "neighbour": 200,
    }


def test_a_pairs_agreement_is_for_the_pair_and_those_who_run_the_program(world, as_user, neighbour):
    agreement = f.AgreementFactory(pair=world.pair)
    agreement.file.save("соглашение.pdf", ContentFile(PDF))
    got = fetched(
        world, as_user, neighbour, reverse("programs:agreement_file", args=[agreement.pk])
    )
    assert got == {
        "region": 200,
        "coordinator": 200,
        "other_coordinator": 404,
        "curator": 200,
        "school": 200,
        "outsider": 404,
        "neighbour": 404,
    }
