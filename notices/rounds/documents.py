"""A school's documents: sent, waiting, returned, approved."""

from collections import defaultdict

from django.db.models import Max

from programs.models import Document, Review

from .. import recipients as who
from ..models import Kind
from .base import LOOKBACK, WAITING


class DocumentNotices:
    def documents(self):
        """A school's document: returned or approved — to the school; submitted, and waiting
        more than 48 hours — to its reviewers."""
        since = self.now - LOOKBACK
        status = Document.Status
        kinds = {
            status.SUBMITTED: Kind.DOCUMENT_SUBMITTED,
            status.NEEDS_REVISION: Kind.DOCUMENT_RETURNED,
            status.APPROVED: Kind.DOCUMENT_APPROVED,
        }
        found = {}  # (kind, document id) -> when
        for doc_id, doc_status, when in (
            Document.history.filter(
                history_date__gte=since, status__in=kinds, organization__isnull=False
            )
            .order_by()
            .values("id", "status")
            .annotate(when=Max("history_date"))
            .values_list("id", "status", "when")
        ):
            found[(kinds[doc_status], doc_id)] = when
        for doc_id, when in Document.objects.filter(
            status=status.SUBMITTED, organization__isnull=False, updated_at__lt=self.now - WAITING
        ).values_list("pk", "updated_at"):
            found[(Kind.DOCUMENT_WAITING, doc_id)] = when
        if not found:
            return
        program_of = dict(
            Document.objects.filter(pk__in={d for _, d in found}).values_list("pk", "program_id")
        )

        def occasion(doc_id, when):
            return self.zones.day(when, program_of[doc_id]).isoformat()

        found = {
            (kind, doc_id): when for (kind, doc_id), when in found.items() if doc_id in program_of
        }
        for kind in {k for k, _ in found}:
            told = self.told(kind, Document, (d for k, d in found if k == kind))
            found = {
                (k, d): when
                for (k, d), when in found.items()
                if k != kind or (d, occasion(d, when)) not in told
            }
        if not found:
            return
        documents = Document.objects.select_related("organization", "program").in_bulk(
            {d for _, d in found}
        )
        found = {key: when for key, when in found.items() if key[1] in documents}
        school_staff = who.staff_of(d.organization_id for d in documents.values())
        reviewers = who.territory_coordinators(
            {
                (d.organization_id, d.organization.region_id, d.organization.municipality_id)
                for d in documents.values()
            }
        )
        experts = defaultdict(set)
        for doc_id, user_id in Review.objects.filter(document_id__in=documents).values_list(
            "document_id", "reviewer_id"
        ):
            experts[doc_id].add(user_id)
        review_side = who.allowed(
            {
                pk: reviewers.get(d.organization_id, set()) | experts[pk]
                for pk, d in documents.items()
            },
            lambda user: Document.objects.reviewable_by(user).filter(
                pk__in=Document.objects.visible_to(user)
            ),
            self.people,
        )
        school_side = who.allowed(
            {pk: school_staff.get(d.organization_id, set()) for pk, d in documents.items()},
            lambda user: Document.objects.visible_to(user),
            self.people,
        )
        titles = {
            Kind.DOCUMENT_SUBMITTED: "Документ отправлен на проверку",
            Kind.DOCUMENT_WAITING: "Документ ждёт проверки больше 48 часов",
            Kind.DOCUMENT_RETURNED: "Документ возвращён на доработку",
            Kind.DOCUMENT_APPROVED: "Документ одобрен",
        }
        for (kind, doc_id), when in found.items():
            document = documents[doc_id]
            to_reviewers = kind in (Kind.DOCUMENT_SUBMITTED, Kind.DOCUMENT_WAITING)
            users = (review_side if to_reviewers else school_side).get(doc_id, set())
            org = document.organization
            self.add(
                users,
                kind=kind,
                subject=document,
                occasion=occasion(doc_id, when),
                title=f"{titles[kind]}: {document.title}",
                body=f"{org.short_name or org.name}, программа «{document.program}»: "
                f"{titles[kind].lower()} — «{document.title}».",
                url=document.get_absolute_url(),
            )
