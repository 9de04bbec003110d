"""Who may review whose document: never the school's own, the curator of its pair, another
school of the program, and not both ways between two schools in one round."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expertise import services
from expertise.models import DEFAULT_CRITERIA, Assignment, Criterion
from programs.models import Document

from .. import factories as f

MUTUAL, CURATOR, EXPERT = Assignment.Role.MUTUAL, Assignment.Role.CURATOR, Assignment.Role.EXPERT


def test_a_school_never_reviews_its_own_document(review_world):
    w = review_world.world
    with pytest.raises(ValidationError) as refused:
        services.assign(
            review_world.document,
            w.school,
            role=MUTUAL,
            round=review_world.round,
            organization=w.supported_school,
        )
    assert "своего документа" in str(refused.value) or "её документа" in str(refused.value)
    assert not Assignment.objects.exists()


def test_the_database_refuses_a_sheet_of_the_schools_own_organization(review_world):
    from django.db import IntegrityError, transaction

    w = review_world.world
    review = w.program.documents.first().reviews.create(reviewer=review_world.peer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            review=review,
            round=review_world.round,
            role=MUTUAL,
            school=w.supported_school,
            organization=w.supported_school,
            version=1,
        )


def test_a_branch_of_the_school_does_not_review_it_either(review_world):
    w = review_world.world
    branch_user = f.UserFactory(username="branch")
    f.MembershipFactory(user=branch_user, organization=w.branch)
    with pytest.raises(ValidationError):
        services.assign(
            review_world.document,
            branch_user,
            role=MUTUAL,
            round=review_world.round,
            organization=w.branch,
        )


def test_mutual_review_by_another_school_of_the_program(review_world):
    sheet = services.assign(
        review_world.document,
        review_world.peer,
        role=MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
    )
    assert sheet.version == 1 and sheet.due_on == review_world.round.due_on
    # The reviewer now sees the document, through their Review.
    assert Document.objects.visible_to(review_world.peer).contains(review_world.document)
    # The default checklist of the kind was created for the program and given to the sheet.
    titles = [s.criterion.title for s in sheet.scores.select_related("criterion")]
    assert titles == [t for t, _ in DEFAULT_CRITERIA[Document.Kind.MEDIUM_TERM_PROGRAM]]


def test_mutual_review_by_a_school_outside_the_program_is_refused(review_world):
    w = review_world.world
    with pytest.raises(ValidationError) as refused:
        services.assign(
            review_world.document,
            w.outsider,
            role=MUTUAL,
            round=review_world.round,
            organization=w.outsider_school,
        )
    assert "участник программы" in str(refused.value)


def _reverse_pair(review_world):
    """The peer school's document, reviewed by the supported school."""
    w = review_world.world
    peer_document = f.DocumentFactory(
        program=w.program,
        organization=review_world.peer_school,
        status=Document.Status.SUBMITTED,
        version=1,
    )
    services.assign(
        peer_document,
        w.school,
        role=MUTUAL,
        round=review_world.round,
        organization=w.supported_school,
    )


def test_two_schools_never_review_each_other_in_one_round(review_world):
    _reverse_pair(review_world)
    with pytest.raises(ValidationError) as refused:
        services.assign(
            review_world.document,
            review_world.peer,
            role=MUTUAL,
            round=review_world.round,
            organization=review_world.peer_school,
        )
    assert "в обе стороны" in str(refused.value)


def test_unless_the_coordinator_allows_it_for_the_round(review_world):
    _reverse_pair(review_world)
    review_world.round.allow_reciprocal = True
    review_world.round.save()
    services.assign(
        review_world.document,
        review_world.peer,
        role=MUTUAL,
        round=review_world.round,
        organization=review_world.peer_school,
    )
    assert Assignment.objects.count() == 2


def test_the_curator_of_the_pair_reviews_but_another_school_is_not_a_curator(review_world):
    w = review_world.world
    services.assign(
        review_world.document,
        w.curator,
        role=CURATOR,
        round=review_world.round,
        organization=w.curator_school,
    )
    with pytest.raises(ValidationError) as refused:
        services.assign(
            review_world.document,
            review_world.peer,
            role=CURATOR,
            round=review_world.round,
            organization=review_world.peer_school,
        )
    assert "школа-куратор" in str(refused.value)


def test_only_a_submitted_document_gets_reviewers(review_world):
    review_world.document.status = Document.Status.DRAFT
    review_world.document.save()
    with pytest.raises(ValidationError):
        services.assign(
            review_world.document, review_world.expert, role=EXPERT, round=review_world.round
        )


def test_the_program_keeps_its_own_criteria_when_it_has_them(review_world):
    w = review_world.world
    Criterion.objects.create(
        program=w.program, kind=review_world.document.kind, title="Свой", max_score=5
    )
    sheet = services.assign(
        review_world.document, review_world.expert, role=EXPERT, round=review_world.round
    )
    assert [s.criterion.title for s in sheet.scores.all()] == ["Свой"]


@pytest.mark.parametrize(
    "person, status",
    [
        ("coordinator", 200),
        ("region", 200),
        ("school", 403),
        ("curator", 403),
        ("outsider", 404),
        ("other_coordinator", 404),
    ],
)
def test_assign_page_is_for_the_coordinators(review_world, as_user, person, status):
    w = review_world.world
    response = as_user(w.people[person]).get(
        reverse("expertise:assign", args=[review_world.document.pk])
    )
    assert response.status_code == status


def test_the_coordinator_assigns_through_the_page_and_the_form_refuses_the_schools_own(
    review_world, as_user
):
    w = review_world.world
    client = as_user(w.coordinator)
    url = reverse("expertise:assign", args=[review_world.document.pk])
    refused = client.post(
        url,
        {
            "role": MUTUAL,
            "round": review_world.round.pk,
            "organization": w.supported_school.pk,
            "reviewer": w.school.pk,
        },
    )
    assert refused.status_code == 200
    assert "Выберите" in refused.content.decode()
    assert not Assignment.objects.exists()
    done = client.post(
        url,
        {
            "role": MUTUAL,
            "round": review_world.round.pk,
            "organization": review_world.peer_school.pk,
            "reviewer": review_world.peer.pk,
        },
    )
    assert done.status_code == 302
    sheet = Assignment.objects.get()
    assert sheet.organization == review_world.peer_school and sheet.assigned_by == w.coordinator
