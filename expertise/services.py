"""Actions of expertise that write several rows: assigning a reviewer (their `Review`, the sheet
and its empty scores), deciding a sheet, and the document's status that follows from its sheets;
accepting a suggested curator into a pair."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from programs.models import Document, Review

from .models import Assignment, Criterion, Score


def assign(document, reviewer, *, role, round, organization=None, due_on=None, by=None):
    """Give `reviewer` a sheet of the document's current version. The assignment rules are
    `Assignment.clean`; a refused one raises ValidationError and writes nothing."""
    if document.status != Document.Status.SUBMITTED:
        raise ValidationError("Экспертов назначают на документ, отправленный на проверку.")
    with transaction.atomic():
        review, _ = Review.objects.get_or_create(
            document=document,
            reviewer=reviewer,
            defaults={"organization": organization, "by_checklist": True},
        )
        assignment = Assignment(
            review=review,
            round=round,
            role=role,
            school=document.organization,
            organization=organization,
            version=document.version,
            due_on=due_on or round.due_on,
            assigned_by=by,
        )
        assignment.full_clean()
        assignment.save()
        if (
            review.verdict != Review.Verdict.PENDING
            or review.organization != organization
            or not review.by_checklist
        ):
            # A new version's sheet: the reviewer's earlier verdict is of an earlier file.
            review.verdict = Review.Verdict.PENDING
            review.organization = organization
            review.decided_at = None
            review.by_checklist = True
            review.save()
        criteria = Criterion.ensure_defaults(document.program, document.kind)
        Score.objects.bulk_create(
            [Score(assignment=assignment, criterion=criterion) for criterion in criteria]
        )
    return assignment


def decide(assignment, *, scores, verdict, comment):
    """Record the sheet: `scores` maps a criterion id to (points, remark). The reviewer's
    `Review` carries the same verdict; when this was the last sheet of the version, the
    document's status follows (`consolidate`)."""
    if verdict not in (Assignment.Verdict.PASSED, Assignment.Verdict.REVISION):
        raise ValidationError("Выберите заключение: «соответствует» или «на доработку».")
    with transaction.atomic():
        for score in assignment.scores.select_related("criterion"):
            points, remark = scores.get(score.criterion_id, (None, ""))
            score.score, score.remark = points, remark
            score.full_clean()
            score.save()
        now = timezone.now()
        assignment.verdict = verdict
        assignment.comment = comment
        assignment.decided_at = now
        assignment.save()
        review = assignment.review
        review.verdict = (
            Review.Verdict.APPROVED
            if verdict == Assignment.Verdict.PASSED
            else Review.Verdict.NEEDS_REVISION
        )
        review.comment = comment
        review.decided_at = now
        review.save()
        consolidate(Document.objects.select_for_update().get(pk=review.document_id))
    return assignment


def consolidate(document):
    """The document's status from the sheets of its current version, once all are decided:
    «одобрен» when every reviewer says «соответствует», «на доработке» when any says «на
    доработку». Returns the new status, or None while a sheet is still open."""
    verdicts = set(
        Assignment.objects.filter(review__document=document, version=document.version).values_list(
            "verdict", flat=True
        )
    )
    if not verdicts or Assignment.Verdict.PENDING in verdicts:
        return None
    status = (
        Document.Status.NEEDS_REVISION
        if Assignment.Verdict.REVISION in verdicts
        else Document.Status.APPROVED
    )
    if document.status == Document.Status.SUBMITTED:
        document.status = status
        document.save()
    return status
