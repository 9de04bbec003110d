from django.contrib.messages import get_messages
from django.test import RequestFactory

from core.setup import IN_USE, delete_unless_blocked
from schools.models import Organization


def request_with_messages():
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_row_the_database_protects_is_kept_with_a_message(world):
    # The supported school is a participant and a side of a pair (PROTECT foreign keys), and
    # Organization names no blocker of its own: the database's refusal becomes the message.
    request = request_with_messages()
    assert not delete_unless_blocked(request, world.supported_school, "удалено")
    assert Organization.objects.contains(world.supported_school)
    assert [m.message for m in get_messages(request)] == [IN_USE]


def test_the_models_own_blocker_is_said_and_nothing_is_deleted(world):
    request = request_with_messages()
    participant = world.program.participants.get(organization=world.supported_school)
    assert not delete_unless_blocked(request, participant, "удалено")
    assert world.program.participants.contains(participant)
    assert "сначала удалите пару" in [m.message for m in get_messages(request)][0]


def test_a_free_row_is_deleted_with_the_success_message(world):
    request = request_with_messages()
    free = world.outsider_school
    free.memberships.all().delete()
    assert delete_unless_blocked(request, free, "удалено")
    assert not Organization.objects.filter(pk=free.pk).exists()
    assert [m.message for m in get_messages(request)] == ["удалено"]
