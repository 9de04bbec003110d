"""A program with a third school for mutual review, an expert at the methodical centre, a
round, and the supported school's submitted document."""

import datetime
from types import SimpleNamespace

import pytest

from expertise.models import ExpertiseRound
from programs.models import Document, Participant
from schools.models import Membership

from .. import factories as f


@pytest.fixture
def review_world(world):
    peer_school = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    f.ParticipantFactory(
        program=world.program, organization=peer_school, role=Participant.Role.SUPPORTED
    )
    center = f.OrganizationFactory(
        municipality=world.municipality, kind="methodical_center", short_name="МКУ «ИМЦ»"
    )
    peer = f.UserFactory(username="peer")
    f.MembershipFactory(user=peer, organization=peer_school, role=Membership.Role.STAFF)
    expert = f.UserFactory(username="expert")
    f.MembershipFactory(user=expert, organization=center, role=Membership.Role.STAFF)
    school_peer = f.UserFactory(username="school_peer")
    f.MembershipFactory(user=school_peer, organization=world.supported_school)
    document = f.DocumentFactory(
        program=world.program,
        organization=world.supported_school,
        status=Document.Status.SUBMITTED,
        version=1,
    )
    round_ = ExpertiseRound.objects.create(
        program=world.program, title="Взаимоэкспертиза, сентябрь", due_on=datetime.date(2023, 9, 30)
    )
    return SimpleNamespace(
        world=world,
        peer_school=peer_school,
        center=center,
        peer=peer,
        expert=expert,
        document=document,
        round=round_,
    )
