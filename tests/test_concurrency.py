"""The same creation posted by several requests at once (a double click, a retry, two tabs)
ends with one row and a friendly answer, never a server error. Real concurrency needs real
transactions and a server that lets writers wait for each other: PostgreSQL."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.models import CuratorPair, Participant
from roadmaps.models import Attendance
from tests import factories as f

THREADS = 8

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
]


def post_at_once(user, url, data):
    """POST `data` to `url` from THREADS signed-in clients released together; their status
    codes, or the exception a request raised."""
    clients = []
    for _ in range(THREADS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def run(index):
        try:
            barrier.wait()
            results[index] = clients[index].post(url, data).status_code
        except Exception as error:  # a 500 is re-raised by the test client
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_pair_from_simultaneous_identical_posts(world):
    curator = f.OrganizationFactory(municipality=world.municipality)
    supported = f.OrganizationFactory(municipality=world.municipality)
    results = post_at_once(
        world.coordinator,
        reverse("programs:setup_pairs", args=[world.program.pk]),
        {"number": "7", "curator_school": curator.pk, "supported_school": supported.pk},
    )
    assert set(results) <= {200, 302}, results
    assert CuratorPair.objects.filter(supported_school=supported).count() == 1
    assert Participant.objects.filter(program=world.program, organization=supported).count() == 1


def test_one_participant_from_simultaneous_identical_posts(world):
    school = f.OrganizationFactory(municipality=world.municipality)
    results = post_at_once(
        world.coordinator,
        reverse("programs:setup_participants", args=[world.program.pk]),
        {"role": Participant.Role.SUPPORTED, "organizations": [school.pk], "year": 2022},
    )
    assert set(results) == {302}, results
    assert Participant.objects.filter(program=world.program, organization=school).count() == 1


def test_one_attendance_from_simultaneous_identical_posts(world):
    event = f.EventFactory(
        program=world.program, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    event.invited.add(world.supported_school)
    data = {
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "1",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
        "attendance-0-organization": world.supported_school.pk,
        "attendance-0-present": "on",
        "attendance-0-people_count": "3",
    }
    results = post_at_once(world.coordinator, reverse("roadmaps:attendance", args=[event.pk]), data)
    assert set(results) == {302}, results
    assert Attendance.objects.filter(event=event).count() == 1


def test_one_invitation_from_simultaneous_identical_posts(world):
    from notices.models import Invitation

    results = post_at_once(
        world.coordinator,
        reverse("notices:invitation_create"),
        {
            "last_name": "Иванова",
            "first_name": "Мария",
            "email": "ivanova@school.ru",
            "organization": world.supported_school.pk,
            "role": "staff",
        },
    )
    assert set(results) <= {200, 302}, results
    assert Invitation.objects.filter(user__email="ivanova@school.ru").count() == 1


def test_one_pair_from_simultaneous_accepts_of_the_pairing_assistant(world):
    curator = f.OrganizationFactory(municipality=world.municipality)
    supported = f.OrganizationFactory(municipality=world.municipality)
    f.ParticipantFactory(
        program=world.program, organization=supported, role=Participant.Role.SUPPORTED
    )
    results = post_at_once(
        world.coordinator,
        reverse("expertise:pairing_accept", args=[world.program.pk]),
        {"school": supported.pk, "curator_school": curator.pk},
    )
    assert set(results) <= {302}, results
    assert CuratorPair.objects.filter(supported_school=supported).count() == 1
