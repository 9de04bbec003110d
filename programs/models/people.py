"""Who takes part: participants, curator pairs, their curators and agreements."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from core.access import access_rule, any_of, reach
from schools.models import Organization

from .programs import Program


class ParticipantQuerySet(models.QuerySet):
    def supported(self):
        """Participations as a supported school (школа адресной поддержки)."""
        return self.filter(role=Participant.Role.SUPPORTED)


class Participant(models.Model):
    """An organization taking part in a program, with its role."""

    class Role(models.TextChoices):
        SUPPORTED = "supported", "школа адресной поддержки"
        CURATOR = "curator", "школа-куратор"
        PARTNER = "partner", "партнёр"
        OPERATOR = "operator", "оператор"

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="participants", verbose_name="программа"
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="participations", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=16, choices=Role.choices)
    note = models.CharField("примечание", max_length=500, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["program", "role", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization", "role"],
                name="participant_unique_role",
                violation_error_message="Организация уже участвует в программе в этой роли.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()}"

    def deletion_blocker(self):
        """A school stays a participant while it is a side of one of the program's pairs."""
        side = {self.Role.CURATOR: "curator_school", self.Role.SUPPORTED: "supported_school"}
        field = side.get(self.role)
        if field and self.program.pairs.filter(**{field: self.organization_id}).exists():
            return f"«{self.organization}» входит в пару этой программы: сначала удалите пару."
        return ""


class CuratorPairQuerySet(models.QuerySet):
    @staticmethod
    def signed_condition():
        """In the database, whether a pair has a signed agreement (`CuratorPair.
        has_signed_agreement`): to filter, annotate or count pairs by it."""
        return Exists(Agreement.objects.signed().filter(pair=OuterRef("pk")))

    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))

    def bulk_create(self, objs, *args, **kwargs):
        """Pairs made in bulk name their schools as participants too (see `CuratorPair.save`)."""
        pairs = super().bulk_create(objs, *args, **kwargs)
        CuratorPair.add_participants(pairs)
        return pairs


class CuratorPair(models.Model):
    """A pair for network interaction: a strong school (школа-куратор) supports a weak one."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="pairs", verbose_name="программа"
    )
    curator_school = models.ForeignKey(
        Organization, models.PROTECT, related_name="curator_pairs", verbose_name="школа-куратор"
    )
    supported_school = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="supported_pairs",
        verbose_name="школа адресной поддержки",
    )
    number = models.CharField("номер в приказе", max_length=16, blank=True)

    objects = CuratorPairQuerySet.as_manager()

    class Meta:
        verbose_name = "пара «куратор — школа»"
        verbose_name_plural = "пары «куратор — школа»"
        ordering = ["program", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "supported_school"],
                name="pair_one_curator_per_supported_school",
                violation_error_message="У этой школы в программе уже есть школа-куратор.",
            ),
            models.CheckConstraint(
                condition=~Q(curator_school=F("supported_school")),
                name="pair_school_not_own_curator",
                violation_error_message="Школа не может курировать сама себя.",
            ),
        ]

    def __str__(self):
        return f"{self.curator_school} → {self.supported_school}"

    MUTUAL_MESSAGE = (
        "Эта школа уже курирует школу-куратора в этой программе: пара не может быть взаимной."
    )

    def save(self, *args, **kwargs):
        """Save the pair and name both its schools as participants of the program in their
        roles, so that the supported school counts among `Program.supported_schools` however
        the pair was made."""
        super().save(*args, **kwargs)
        CuratorPair.add_participants([self])

    def clean(self):
        """A pair is never mutual: if A curates B in a program, B does not curate A there."""
        if self.program_id and self.curator_school_id and self.supported_school_id:
            mutual = CuratorPair.objects.filter(
                program_id=self.program_id,
                curator_school_id=self.supported_school_id,
                supported_school_id=self.curator_school_id,
            ).exclude(pk=self.pk)
            if mutual.exists():
                raise ValidationError({"supported_school": self.MUTUAL_MESSAGE})

    @staticmethod
    def add_participants(pairs):
        """The participant rows of the pairs' schools (curator and supported), written where
        missing; one query."""
        rows = [
            Participant(program_id=pair.program_id, organization_id=org_id, role=role)
            for pair in pairs
            for org_id, role in (
                (pair.curator_school_id, Participant.Role.CURATOR),
                (pair.supported_school_id, Participant.Role.SUPPORTED),
            )
        ]
        if rows:
            Participant.objects.bulk_create(rows, ignore_conflicts=True)

    def deletion_blocker(self):
        """A pair with a roadmap keeps it: the roadmap's items and reports would go with it."""
        if self.roadmaps.exists():
            return "У пары есть дорожная карта: сначала удалите её."
        return ""

    @property
    def signed_agreement(self):
        """The pair's latest signed agreement (`Agreement.is_signed`), None while it has none;
        reads the agreements prefetched with the pair."""
        signed = [a for a in self.agreements.all() if a.is_signed]
        return max(signed, key=lambda a: a.signed_on, default=None)

    @property
    def has_signed_agreement(self):
        """The pair has signed its agreement on network interaction: one of its agreements is
        signed (`Agreement.is_signed`; `CuratorPairQuerySet.signed_condition` in the database)."""
        return self.signed_agreement is not None


class Curator(models.Model):
    """A person appointed by one side of a pair to do the support work (куратор)."""

    pair = models.ForeignKey(
        CuratorPair, models.CASCADE, related_name="curators", verbose_name="пара"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="curatorships",
        verbose_name="пользователь",
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="curators", verbose_name="от организации"
    )
    full_name = models.CharField("ФИО", max_length=300, blank=True)
    position = models.CharField("должность", max_length=300, blank=True)
    appointed_on = models.DateField("дата назначения", null=True, blank=True)

    class Meta:
        verbose_name = "куратор"
        verbose_name_plural = "кураторы"
        ordering = ["pair", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "user"],
                condition=Q(user__isnull=False),
                name="curator_unique_user_in_pair",
                violation_error_message="Этот пользователь уже куратор в паре.",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.full_name:
            return self.full_name
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return "—"

    def clean(self):
        if (
            self.pair_id
            and self.organization_id
            and self.organization_id
            not in (
                self.pair.curator_school_id,
                self.pair.supported_school_id,
            )
        ):
            raise ValidationError({"organization": "Куратора назначает одна из двух школ пары."})


class AgreementQuerySet(models.QuerySet):
    def signed(self):
        """Signed agreements (`Agreement.is_signed`): those with their date of signing."""
        return self.filter(signed_on__isnull=False)

    @access_rule
    def visible_to(self, user):
        """A pair's agreement is for the pair — the staff of its two schools and its curators —
        and for those who run the program there: the program's coordinators and the staff of
        the supported school's territory. Other schools of the program never see it."""
        r = reach(user)
        own = r.schools
        return self.filter(pair__in=CuratorPair.objects.visible_to(user)).filter(
            any_of(
                Q(pair__supported_school__in=own) | Q(pair__curator_school__in=own)
                if own
                else None,
                Q(pair__in=r.pairs) if r.pairs else None,
                r.territory(
                    "pair__supported_school__region", "pair__supported_school__municipality"
                ),
                Q(pair__program__in=Program.objects.editable_by(user)),
            )
        )


class Agreement(models.Model):
    """The pair's agreement on network interaction (соглашение о сетевом взаимодействии)."""

    pair = models.ForeignKey(
        CuratorPair, models.CASCADE, related_name="agreements", verbose_name="пара"
    )
    number = models.CharField("номер", max_length=64, blank=True)
    signed_on = models.DateField("дата подписания", null=True, blank=True)
    file = models.FileField("файл", upload_to="agreements/%Y/", blank=True)
    note = models.CharField("примечание", max_length=500, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "соглашение"
        verbose_name_plural = "соглашения"
        ordering = ["pair", "-signed_on"]

    def __str__(self):
        number = f"№ {self.number}" if self.number else "без номера"
        return f"Соглашение {number}"

    @property
    def is_signed(self):
        """An agreement is signed once its date of signing is entered: an agreement without it
        is a draft the pair is still negotiating (`AgreementQuerySet.signed` in the database)."""
        return self.signed_on is not None
