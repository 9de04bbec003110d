"""The revision check every editing form goes through: a save over a newer change is refused,
and the check holds when two saves race."""

import threading

import pytest
from django.db import connection, transaction

from core.revisions import StaleRevision, claim
from roadmaps.models import RoadmapItem
from tests import factories as f


@pytest.mark.django_db
def test_a_save_from_the_current_revision_goes_through_and_counts_up():
    item = f.RoadmapItemFactory()
    with transaction.atomic():
        claim(item, 1)
        item.title = "Новое название"
        item.save()
    assert RoadmapItem.objects.get().revision == 2


@pytest.mark.django_db
def test_a_save_from_an_older_revision_is_refused_naming_the_current_one():
    item = f.RoadmapItemFactory()
    mine, theirs = RoadmapItem.objects.get(), RoadmapItem.objects.get()
    with transaction.atomic():
        claim(theirs, 1)
        theirs.save()
    with pytest.raises(StaleRevision) as refused, transaction.atomic():
        claim(mine, 1)
    assert refused.value.current == 2
    assert "изменил другой пользователь" in refused.value.message
    item.refresh_from_db()
    assert item.revision == 2


@pytest.mark.django_db
def test_a_row_that_did_not_exist_when_the_form_was_built_is_claimed_with_zero():
    unsaved = RoadmapItem(roadmap=f.RoadmapFactory(), title="Новое")
    with transaction.atomic():
        claim(unsaved, 0)
    existing = f.RoadmapItemFactory()
    with pytest.raises(StaleRevision), transaction.atomic():
        claim(existing, 0)


@pytest.mark.django_db
def test_the_claim_needs_a_transaction_to_hold_the_row():
    item = f.RoadmapItemFactory()
    with pytest.raises(RuntimeError):
        transaction.get_connection().in_atomic_block = False
        try:
            claim(item, 1)
        finally:
            transaction.get_connection().in_atomic_block = True


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_saves_racing_from_the_same_revision_let_only_one_through():
    item = f.RoadmapItemFactory()
    first_claimed, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                mine = RoadmapItem.objects.get(pk=item.pk)
                claim(mine, 1)
                first_claimed.set()
                release.wait(5)
                mine.status = "done"
                mine.save()
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            first_claimed.wait(5)
            with transaction.atomic():
                mine = RoadmapItem.objects.get(pk=item.pk)
                # Blocks on the first one's row lock until it commits, then sees revision 2.
                claim(mine, 1)
                mine.status = "cancelled"
                mine.save()
            outcome["second"] = "saved"
        except StaleRevision:
            outcome["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threading.Timer(0.5, release.set).start()
    for thread in threads:
        thread.join(10)
    assert outcome == {"first": "saved", "second": "refused"}
    item.refresh_from_db()
    assert (item.status, item.revision) == ("done", 2)
