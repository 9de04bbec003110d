"""Documents schools and programs submit for review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.access import access_rule, any_of, reach
from core.revisions import RevisionedModel
from schools.models import Organization, RiskFactor

from .programs import Program


class DocumentQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Documents of organizations the user may see, and those assigned to them for review."""
        r = reach(user)
        return self.filter(
            any_of(
                r.sees_organization("organization"),
                Q(pk__in=Review.objects.filter(reviewer_id=r.user_id).values("document"))
                if r.user_id
                else None,
            )
        )

    @access_rule
    def editable_by(self, user):
        """Documents the user may upload new versions of and submit."""
        r = reach(user)
        return self.filter(r.changes_school_data("organization"))

    @access_rule
    def reviewable_by(self, user):
        """Documents the user may approve or return: coordinators of the school's territory and
        experts assigned to the document, except those who decide through a checklist (their
        verdict is one of several the document's status follows from)."""
        r = reach(user)
        return self.filter(
            any_of(
                r.territory("organization__region", "organization__municipality", coordinator=True),
                Q(
                    pk__in=Review.objects.filter(reviewer_id=r.user_id, by_checklist=False).values(
                        "document"
                    )
                )
                if r.user_id
                else None,
            )
        )

    def awaiting_review(self):
        return self.filter(status=Document.Status.SUBMITTED)

    def published(self):
        """Materials on a program's public page: a school chose to publish the document, it
        has been approved (a version under review or revision is not shown), it has a file,
        and the program's page is public."""
        return self.filter(
            is_public=True,
            status=Document.Status.APPROVED,
            program__is_public=True,
            organization__isnull=False,
        ).exclude(file="")


def document_upload_to(instance, filename):
    return f"documents/{instance.organization_id or 'common'}/{filename}"


class Document(RevisionedModel):
    """A school's concept document (концепция развития, среднесрочная программа, антирисковая
    программа…) or a program's order or report, with its versions."""

    class Kind(models.TextChoices):
        DEVELOPMENT_CONCEPT = "development_concept", "концепция развития"
        MEDIUM_TERM_PROGRAM = "medium_term_program", "среднесрочная программа"
        ANTI_RISK_PROGRAM = "anti_risk_program", "антирисковая программа"
        SCHOOL_ROADMAP = "school_roadmap", "дорожная карта школы"
        AGREEMENT = "agreement", "соглашение"
        ORDER = "order", "приказ"
        REPORT = "report", "отчёт"
        OTHER = "other", "другое"

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на проверке"
        APPROVED = "approved", "одобрен"
        NEEDS_REVISION = "needs_revision", "на доработке"

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="documents", verbose_name="программа"
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="организация",
    )
    kind = models.CharField("вид", max_length=32, choices=Kind.choices)
    risk_factor = models.ForeignKey(
        RiskFactor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="фактор риска",
        help_text="Для антирисковой программы",
    )
    title = models.CharField("название", max_length=500)
    file = models.FileField("файл", upload_to=document_upload_to, blank=True)
    version = models.PositiveIntegerField("версия файла", default=0)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)
    is_public = models.BooleanField(
        "опубликовать",
        default=False,
        help_text="Показывать одобренный документ на публичной странице программы",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "документы"
        ordering = ["program", "organization", "kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_factor__isnull=True) | Q(kind="anti_risk_program"),
                name="document_risk_factor_only_for_anti_risk",
                violation_error_message="Фактор риска указывается только у антирисковой программы.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:document", args=[self.pk])

    @property
    def accepts_new_version(self):
        """A document under review keeps its file until the verdict."""
        return self.status != self.Status.SUBMITTED

    @property
    def can_be_submitted(self):
        return bool(self.file) and self.status in (self.Status.DRAFT, self.Status.NEEDS_REVISION)

    @property
    def awaits_verdict(self):
        return self.status == self.Status.SUBMITTED


# `Review` points at `Document`; the querysets above ask reviews at call time.
from .reviews import Review  # noqa: E402
