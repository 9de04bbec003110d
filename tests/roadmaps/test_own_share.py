"""A school's own share of a shared item counts for it: its home, its page's late list and its
reminders read its own execution (`ItemExecution`), never the item's overall state."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import Kind, Notification
from notices.service import run_round
from programs.models import Participant
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from schools.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

DONE, IN_PROGRESS = RoadmapItem.Status.DONE, RoadmapItem.Status.IN_PROGRESS


@pytest.fixture
def shared(world):
    """An item of the program's roadmap carried out by two schools, a day late: the supported
    school has done its part, the other school has not."""
    other = f.OrganizationFactory(
        municipality=world.municipality, short_name="МБОУ «Ляминская СОШ»"
    )
    f.ParticipantFactory(program=world.program, organization=other, role=Participant.Role.SUPPORTED)
    other_staff = f.UserFactory(username="other_staff", email="other@example.ru")
    f.MembershipFactory(user=other_staff, organization=other, role=Membership.Role.STAFF)
    world.school.email = "school@example.ru"
    world.school.save()
    roadmap = f.RoadmapFactory(program=world.program, level=Roadmap.Level.PROGRAM)
    today = world.program.local_today()
    item = f.RoadmapItemFactory(
        roadmap=roadmap,
        title="Верификация факторов риска",
        starts_on=None,
        due_on=today - datetime.timedelta(days=1),
    )
    item.responsible.add(world.supported_school, other)
    ItemExecution.objects.get(item=item, organization=world.supported_school).set_status(
        DONE, today=today - datetime.timedelta(days=2)
    )
    ItemExecution.objects.get(item=item, organization=other).set_status(IN_PROGRESS)
    item.derive_status()
    item.save()
    assert item.status == IN_PROGRESS and item.is_late()
    return item, other, other_staff


def home_items(response):
    week = list(response.context["week"]["items"])
    return week + [i for group in response.context["late_groups"] for i in group.items]


def test_a_school_that_did_its_part_does_not_see_the_item_late_on_its_home(shared, world, as_user):
    item, _, other_staff = shared
    done_home = as_user(world.school).get(reverse("home"))
    assert item not in home_items(done_home)
    assert done_home.context["item_counts"]["late"] == 0
    behind_home = as_user(other_staff).get(reverse("home"))
    [listed] = [i for i in home_items(behind_home) if i == item]
    assert listed.is_late() and listed.get_status_seen_display() == "выполняется"
    assert behind_home.context["late_count"] == 1


def test_the_curator_reads_the_supported_schools_own_part(shared, world, as_user):
    item, _, _ = shared
    assert item not in home_items(as_user(world.curator).get(reverse("home")))


def test_the_coordinator_still_sees_the_item_late_overall(shared, world, as_user):
    item, _, _ = shared
    assert item in home_items(as_user(world.coordinator).get(reverse("home")))


def test_a_schools_page_lists_late_only_what_is_late_in_its_own_part(shared, world, as_user):
    item, other, _ = shared
    client = as_user(world.coordinator)
    page = client.get(reverse("school", args=[world.supported_school.pk]))
    assert item not in page.context["attention_items"]
    page = client.get(reverse("school", args=[other.pk]))
    assert item in page.context["attention_items"]


def test_the_queryset_counts_by_the_schools_own_part(shared, world):
    item, other, _ = shared
    items = RoadmapItem.objects.filter(pk=item.pk)
    assert items.late().count() == 1
    assert items.as_seen_by([world.supported_school.pk]).late().count() == 0
    assert items.as_seen_by([world.supported_school.pk]).completion()["done"] == 1
    assert items.as_seen_by([other.pk]).late().count() == 1
    # A school with a part still open among several: the open part is what counts.
    assert items.as_seen_by([world.supported_school.pk, other.pk]).open().count() == 1
    # Schools that carry out no part see the item's own state.
    assert items.as_seen_by([world.curator_school.pk]).late().count() == 1


def test_a_late_reminder_goes_only_to_the_school_whose_part_is_late(shared, world):
    item, _, _ = shared
    run_round(now=timezone.now())
    told = set(
        Notification.objects.filter(kind=Kind.ITEM_LATE, object_id=item.pk).values_list(
            "recipient__username", flat=True
        )
    )
    assert "other_staff" in told
    assert "school" not in told
