"""Actions on a school's documents that write several rows: a new version with its file, and a
reviewer's verdict."""

from django.db import transaction
from django.utils import timezone

from core.revisions import claim
from core.uploads import discard_on_failure

from .models import Document, DocumentVersion, Review


def add_version(document, user, upload, *, comment="", seen_revision=None):
    """Store `upload` as the document's next version and make it the current file. An approved
    document goes back to draft: the new file needs a new review. `seen_revision` None is for a
    document created in the same transaction."""
    with transaction.atomic(), discard_on_failure() as written:
        if seen_revision is not None:
            claim(document, seen_revision)
        number = document.version + 1
        version = DocumentVersion(
            document=document,
            number=number,
            original_name=upload.name[:300],
            size=upload.size,
            uploaded_by=user,
            comment=comment,
        )
        version.file.save(upload.name, upload, save=False)
        written.append(version.file)
        version.save()
        document.file.name = version.file.name
        document.version = number
        document.uploaded_by = user
        if document.status == Document.Status.APPROVED:
            document.status = Document.Status.DRAFT
        document.save()
    return version


def create_document(form, organization, user):
    """A new document of `organization` from a valid `DocumentForm`, with its first version."""
    with transaction.atomic():
        document = form.save(commit=False)
        document.organization = organization
        document.uploaded_by = user
        document.save()
        add_version(document, user, form.cleaned_data["file"], comment=form.cleaned_data["comment"])
    return document


def submit_document(document, user, *, seen_revision):
    with transaction.atomic():
        claim(document, seen_revision)
        document.status = Document.Status.SUBMITTED
        document.save()
    return document


def review_document(document, user, *, approve, comment, seen_revision):
    """Record the reviewer's verdict (their `Review`, created for a coordinator) and set the
    document's status from it."""
    with transaction.atomic():
        claim(document, seen_revision)
        review, _ = Review.objects.get_or_create(document=document, reviewer=user)
        review.verdict = Review.Verdict.APPROVED if approve else Review.Verdict.NEEDS_REVISION
        review.comment = comment
        review.decided_at = timezone.now()
        review.save()
        document.status = Document.Status.APPROVED if approve else Document.Status.NEEDS_REVISION
        document.save()
    return review
