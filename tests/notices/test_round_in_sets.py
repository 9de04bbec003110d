"""A round asks the access rules in sets: its queries do not grow with the number of schools,
and the answers are those each person's own rule gives."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.notices_round import build
from monitoring.models import Measurement, MonitoringPoint
from notices import recipients
from notices.mail import send_pending
from notices.models import Kind, Notification
from notices.rounds import Round
from roadmaps.models import Event, RoadmapItem

# The benchmark's program: each school has two staff members and a curator, two roadmap items
# (due in 7 days, late since yesterday), a value waiting more than 48 hours, an event. A
# steady round, with everything already told, asks the same few questions whatever the day.
STEADY_ROUND_QUERIES = 37


def counted_round():
    """(notices made, queries) of one round; the inserts of the notices themselves, in
    batches of `store`, are left out, the rest is what finding them costs."""
    with CaptureQueriesContext(connection) as queries:
        created = Round().run()
    inserts = [q for q in queries if "INSERT" in q["sql"] and "notices_notification" in q["sql"]]
    assert len(inserts) <= created // 50 + 1
    return created, len(queries) - len(inserts)


@pytest.mark.django_db
def test_a_round_costs_the_same_queries_for_5_and_50_schools():
    """Both sizes measured in one test, at one moment: what a first round asks depends on the
    day (the kinds with something due), never on the number of schools."""

    def first_round(schools):
        with transaction.atomic():
            build(schools)
            ContentType.objects.get_for_models(*apps.get_models())  # as a server holds them
            created, queries = counted_round()
            # Per school: two items to three people, the event to its staff, the waiting value
            # to the municipal coordinator and the curator; and the coordinator's digest.
            assert created == 10 * schools + 1
            assert counted_round() == (0, STEADY_ROUND_QUERIES)
            assert Notification.objects.filter(kind=Kind.ITEM_LATE).count() == 3 * schools
            transaction.set_rollback(True)
        return queries

    assert first_round(5) == first_round(50)


@pytest.mark.django_db
def test_asked_in_sets_each_person_gets_what_their_own_rule_gives():
    build(5)
    User = get_user_model()
    people = list(User.objects.order_by("pk"))
    rules = {
        RoadmapItem: lambda user: RoadmapItem.objects.visible_to(user),
        Event: lambda user: Event.objects.visible_to(user),
        MonitoringPoint: lambda user: MonitoringPoint.objects.visible_to(user),
        Measurement: lambda user: Measurement.objects.approvable_by(user),
    }
    for model, rule in rules.items():
        everything = set(model.objects.values_list("pk", flat=True))
        asked = [(user, everything) for user in people]
        recipients.reaches(people)
        answers = recipients.ask_in_sets(rule, asked)
        for user, found in zip(people, answers, strict=True):
            fresh = User.objects.get(pk=user.pk)
            assert found == set(rule(fresh).values_list("pk", flat=True)), (model, user)
        assert any(answers), model
    # Staff may not approve, a curator and the coordinator may: the comparison tells.
    assert not all(answers)


class CountsConnections(EmailBackend):
    opened = 0
    calls = 0

    def open(self):
        CountsConnections.opened += 1
        return super().open()

    def send_messages(self, messages):
        CountsConnections.calls += 1
        return super().send_messages(messages)


@pytest.mark.django_db
def test_the_letters_of_a_run_go_in_batches_through_one_connection(settings):
    settings.EMAIL_BACKEND = "tests.notices.test_round_in_sets.CountsConnections"
    CountsConnections.opened = CountsConnections.calls = 0
    build(5)
    Round().run()
    waiting = Notification.objects.filter(email_state="pending").count()
    assert waiting > 10
    # Batches of 4: every letter of the run still goes, through one connection.
    assert send_pending(batch=4) == (waiting, 0)
    assert CountsConnections.opened == 1
    assert len(mail.outbox) == CountsConnections.calls == waiting
    assert not Notification.objects.filter(email_state="pending").exists()
