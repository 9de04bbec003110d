"""`__among` finds what `__in` finds, with the ids as one parameter; `insert_rows` can leave
out the rows a unique constraint already holds."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.bulk import insert_rows
from notices.models import Notification
from schools.models import Membership
from tests import factories as f


@pytest.mark.django_db
def test_among_finds_what_in_finds_through_a_key_and_a_relation(django_assert_num_queries):
    memberships = f.MembershipFactory.create_batch(5)
    users = [m.user_id for m in memberships[:3]]
    by_in = set(Membership.objects.filter(user_id__in=users).values_list("pk", flat=True))
    assert by_in == {m.pk for m in memberships[:3]}
    assert (
        set(Membership.objects.filter(user_id__among=users).values_list("pk", flat=True)) == by_in
    )
    assert set(Membership.objects.filter(user__among=users).values_list("pk", flat=True)) == by_in
    assert set(Membership.objects.filter(pk__among={m.pk for m in memberships[:3]})) == set(
        memberships[:3]
    )
    # No ids: no rows, and, as with `__in=[]`, no query.
    with django_assert_num_queries(0):
        assert list(Membership.objects.filter(user_id__among=[])) == []


@pytest.mark.django_db
def test_among_sends_thousands_of_ids_as_one_parameter():
    membership = f.MembershipFactory()
    ids = list(range(membership.user_id, membership.user_id + 20_000))
    found = Membership.objects.filter(user_id__among=ids)
    assert list(found) == [membership]
    _, params = found.query.sql_with_params()
    assert len(params) == 1


@pytest.mark.django_db
def test_insert_rows_leaves_out_what_the_unique_constraint_holds():
    user = f.UserFactory()
    subject = ContentType.objects.get_for_model(Membership)
    now = timezone.now()
    columns = ("recipient", "kind", "content_type", "object_id", "occasion", "title")

    def row(object_id):
        return (user.pk, "digest", subject.pk, object_id, "", f"Сводка {object_id}")

    first = insert_rows(Notification, columns, [row(1), row(2)], {"created_at": now})
    assert len(first) == 2
    again = insert_rows(
        Notification, columns, [row(2), row(3)], {"created_at": now}, skip_conflicts=True
    )
    assert again == [Notification.objects.get(object_id=3).pk]
    assert sorted(Notification.objects.values_list("object_id", flat=True)) == [1, 2, 3]
