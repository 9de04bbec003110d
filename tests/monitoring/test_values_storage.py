"""How the values and their history are stored for cheap writes: saving a draft, or an import
changing values already sent, updates a value without writing any index of the values table
(PostgreSQL's HOT update), since no index covers a column they change — only a change of state
reaches an index (`measurement_returned`); the history keeps only the indexes it is read by and
no database check of its user — and deleting a user still clears both, as before."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from monitoring.models import Measurement
from tests import factories as f

pytestmark = pytest.mark.django_db

# The columns a draft, a submission, an approval or an import changes; of them only the state
# is in an index (a condition of `measurement_returned`, which introspection does not list).
WRITTEN = {
    "value",
    "comment",
    "status",
    "review_comment",
    "entered_by_id",
    "submitted_at",
    "approved_by_id",
    "approved_at",
    "revision",
}


def indexed_columns(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        column
        for constraint in constraints.values()
        if constraint["index"] or constraint["unique"] or constraint["primary_key"]
        for column in constraint["columns"]
    }


def test_no_index_of_the_values_covers_a_column_their_writes_change():
    assert indexed_columns(Measurement._meta.db_table).isdisjoint(WRITTEN)
    conditions = [index.condition for index in Measurement._meta.indexes if index.condition]
    assert conditions == [Q(status="returned")]


def test_the_history_keeps_the_indexes_it_is_read_by_only():
    history = Measurement.history.model._meta.db_table
    indexed = indexed_columns(history)
    # By value, by a school's sheet, by time; its user for the deletion of a user.
    assert {"id", "organization_id", "history_date", "history_user_id"} <= indexed
    assert indexed.isdisjoint({"indicator_id", "point_id", "entered_by_id", "approved_by_id"})
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, history)
    assert not [c for c in constraints.values() if c["foreign_key"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="HOT updates are PostgreSQL's")
def test_a_draft_and_a_changed_sent_value_update_a_value_in_place():
    school_user, coordinator = f.UserFactory(), f.UserFactory()
    value = f.MeasurementFactory(entered_by=school_user, status=Measurement.Status.DRAFT)

    def hot_updates():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
                [Measurement._meta.db_table],
            )
            return cursor.fetchone()

    with transaction.atomic():
        before = hot_updates()
        # A draft saved by someone else.
        value.value = Decimal("61.5")
        value.entered_by = coordinator
        value.save()
        # Sent: a change of state.
        value.submit(coordinator)
        value.save()
        after_submit = hot_updates()
        # Sent again with another value, as an import does.
        value.value = Decimal("62")
        value.submitted_at = timezone.now()
        value.entered_by = school_user
        value.save()
        after = hot_updates()
    assert after[0] - before[0] == 3
    assert after_submit[1] - before[1] == 1
    assert after[1] - after_submit[1] == 1


def test_deleting_a_user_still_clears_them_from_values_and_history():
    school_user = f.UserFactory()
    value = f.MeasurementFactory(entered_by=school_user, approved_by=school_user)
    history = Measurement.history.model
    value.value = Decimal("12")
    value._history_user = school_user
    value.save()
    gone = school_user.pk
    assert history.objects.filter(history_user_id=gone).exists()

    school_user.delete()

    value.refresh_from_db()
    assert value.entered_by is None and value.approved_by is None
    assert history.objects.filter(id=value.pk).exists()
    assert not history.objects.filter(history_user_id=gone).exists()
