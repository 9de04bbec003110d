"""All submitted values of one school at one point approved, or returned, at once with one
comment: through each value's own approve / send_back, by those `approvable_by` allows, all or
none."""

import pytest
from django.urls import reverse

from monitoring.models import Measurement
from tests import factories as f

pytestmark = pytest.mark.django_db

SUBMITTED, DRAFT = Measurement.Status.SUBMITTED, Measurement.Status.DRAFT


@pytest.fixture
def side(scene):
    """The scene's school with two submitted values and a draft at the current point."""
    side = scene.inside
    f.MeasurementFactory(
        indicator=side.count, point=side.point, organization=side.school, value=4, status=SUBMITTED
    )
    f.MeasurementFactory(
        indicator=side.yes_no, point=side.point, organization=side.school, value=1, status=DRAFT
    )
    return side


def review_url(side):
    return reverse("monitoring:review_sheet", args=[side.point.pk, side.school.pk])


def statuses(side):
    return {
        m.indicator_id: (m.status, m.review_comment)
        for m in Measurement.objects.filter(point=side.point, organization=side.school)
    }


def test_the_curator_approves_all_submitted_values_with_one_note(side, world, as_user):
    response = as_user(world.curator).post(
        review_url(side), {"action": "approve", "comment": "Сверено с ВПР"}, follow=True
    )
    assert "Значения (2) утверждены." in response.content.decode()
    assert statuses(side) == {
        side.percent.pk: ("approved", "Сверено с ВПР"),
        side.count.pk: ("approved", "Сверено с ВПР"),
        side.yes_no.pk: ("draft", ""),  # a draft is the school's, not yet to decide on
    }
    approved = Measurement.objects.get(indicator=side.count, point=side.point)
    assert approved.approved_by == world.curator


def test_returning_all_needs_a_comment_and_changes_nothing_without_one(side, world, as_user):
    client = as_user(world.coordinator)
    response = client.post(review_url(side), {"action": "return", "comment": " "})
    assert response.status_code == 200
    assert response.context["sheet_review"].errors["comment"] == ["Укажите, что нужно исправить."]
    assert {s for s, _ in statuses(side).values()} == {"submitted", "draft"}

    client.post(review_url(side), {"action": "return", "comment": "Нет подтверждений"})
    assert statuses(side)[side.percent.pk] == ("returned", "Нет подтверждений")
    assert statuses(side)[side.count.pk] == ("returned", "Нет подтверждений")


def test_a_value_the_reviewer_entered_is_left_for_someone_else(side, world, as_user):
    Measurement.objects.filter(indicator=side.count, point=side.point).update(
        entered_by=world.coordinator
    )
    as_user(world.coordinator).post(review_url(side), {"action": "approve"})
    assert statuses(side)[side.percent.pk][0] == "approved"
    assert statuses(side)[side.count.pk][0] == "submitted"


def test_one_refused_value_keeps_all_of_them_unchanged(side, world, as_user):
    # A submitted value that lost its number (as an old import could leave it) is not approved.
    Measurement.objects.filter(indicator=side.count, point=side.point).update(value=None)
    response = as_user(world.coordinator).post(review_url(side), {"action": "approve"})
    [error] = response.context["sheet_review"].non_field_errors()
    assert error == (
        "Ничего не сохранено — показатель 2: Утвердить можно только заполненное значение."
    )
    assert statuses(side)[side.percent.pk][0] == "submitted"


def test_the_sheet_offers_the_verdict_for_all_only_to_a_reviewer(side, world, as_user):
    page = as_user(world.curator).get(
        reverse("monitoring:entry", args=[side.point.pk, side.school.pk])
    )
    assert page.context["submitted_count"] == 2
    assert "Утвердить все (2)" in page.content.decode()
    own = as_user(world.school).get(
        reverse("monitoring:entry", args=[side.point.pk, side.school.pk])
    )
    assert own.context["sheet_review"] is None


def test_the_school_may_not_approve_its_values_and_an_outsider_does_not_see_them(
    side, world, as_user
):
    assert as_user(world.school).post(review_url(side), {"action": "approve"}).status_code == 403
    assert as_user(world.outsider).post(review_url(side), {"action": "approve"}).status_code == 404
    assert {s for s, _ in statuses(side).values()} == {"submitted", "draft"}


def test_reviewing_all_takes_as_many_queries_for_many_values(
    side, world, as_user, django_assert_max_num_queries
):
    client = as_user(world.curator)
    with django_assert_max_num_queries(200) as few:
        client.post(review_url(side), {"action": "approve"})
    Measurement.objects.filter(point=side.point).update(status=SUBMITTED)
    for code in range(5, 15):
        indicator = f.IndicatorFactory(program=world.program, code=str(code), order=code)
        f.MeasurementFactory(
            indicator=indicator,
            point=side.point,
            organization=side.school,
            value=1,
            status=SUBMITTED,
        )
    with django_assert_max_num_queries(200) as many:
        client.post(review_url(side), {"action": "approve"})
    assert Measurement.objects.filter(point=side.point, status="approved").count() == 13
    # Each value is saved (its row, history row, the change mark of its figures and its notice,
    # with the lock of its revision): only those writes grow.
    assert len(many.captured_queries) - len(few.captured_queries) <= 11 * 5


def test_approving_and_returning_are_in_the_audit_trail(side, world, as_user):
    from accounts.audit import Action
    from accounts.models import AuditEvent

    reviewer = as_user(world.curator)
    reviewer.post(review_url(side), {"action": "approve", "comment": "Принято"})
    event = AuditEvent.objects.get(action=Action.VALUE_APPROVED)
    assert event.actor == world.curator and event.organization == side.school
    approved = Measurement.objects.filter(point=side.point, status=Measurement.Status.APPROVED)
    assert sorted(event.details["measurements"]) == sorted(approved.values_list("pk", flat=True))
