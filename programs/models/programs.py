"""Programs of targeted support."""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core import timezones
from core.access import access_rule, any_of, reach, require, visible_or_404
from schools.models import Municipality, Organization, Region


class ProgramQuerySet(models.QuerySet):
    def local_dates(self, now=None):
        """{date: [program ids]}: today in each program region's date (`Program.local_today`),
        the programs grouped by it. One query, whatever the number of programs; at any moment
        the programs of one country fall on one or two dates."""
        return Program.group_by_local_date(
            self.select_related("region", "municipality__region").only(
                "pk", "region__timezone", "municipality__region__timezone"
            ),
            now,
        )

    @access_rule
    def visible_to(self, user):
        """Programs of the user's territory, and those where the user's organizations take
        part: as owner, operator, participant, a side of a pair, or through a document to review."""
        Participant, CuratorPair, Review = (
            _related("participants"),
            _related("pairs"),
            _related("documents", "reviews"),
        )
        r = reach(user)
        if r.user_id is None:
            return self.none()
        own = r.organizations | r.schools
        taking_part = in_pairs = None
        if own:
            taking_part = Q(owner__in=own) | Q(operator__in=own)
            taking_part |= Q(
                pk__in=Participant.objects.filter(organization__in=own).values("program")
            )
            in_pairs = Q(
                pk__in=CuratorPair.objects.filter(
                    Q(supported_school__in=own) | Q(curator_school__in=own)
                ).values("program")
            )
        reviewing = Review.objects.filter(reviewer_id=r.user_id).values("document__program")
        # A federal or regional program reaches into a municipality through its schools: the
        # municipality's staff follow those schools in it («500+» across 84 regions).
        with_our_schools = (
            Q(
                pk__in=Participant.objects.filter(
                    r.territory("organization__region", "organization__municipality")
                ).values("program")
            )
            if r.regions or r.municipalities
            else None
        )
        return self.filter(
            any_of(
                r.territory("region", "municipality"),
                with_our_schools,
                taking_part,
                in_pairs,
                Q(pk__in=r.pair_programs) if r.pair_programs else None,
                Q(pk__in=reviewing),
            )
        )

    @access_rule
    def editable_by(self, user):
        """Programs the user may set up: coordinators of the program's territory, or of its
        owner or operator."""
        r = reach(user)
        coordinating = r.coordinator_organizations
        return self.filter(
            any_of(
                r.territory("region", "municipality", coordinator=True),
                Q(owner__in=coordinating) | Q(operator__in=coordinating) if coordinating else None,
            )
        )

    def set_up_by(self, user, pk):
        """The program `pk` for a person who sets it up (a page, or a worker acting for them):
        404 where they do not see it (`visible_to`), 403 where they only see it
        (`editable_by`)."""
        program = visible_or_404(
            self.select_related("owner", "operator", "region", "municipality"), user, pk=pk
        )
        return require(self.editable_by(user), program)

    @access_rule
    def overseen_by(self, user):
        """Programs whose dashboards and effectiveness figures the user may watch: staff of the
        authorities and methodical centres of the program's territory, and of its owner or
        operator. Schools and curators see their own part of a program, not the whole."""
        r = reach(user)
        own = r.organizations
        return self.filter(
            any_of(
                r.territory("region", "municipality"),
                Q(owner__in=own) | Q(operator__in=own) if own else None,
            )
        )

    def public(self):
        return self.filter(is_public=True)

    def with_school(self, school):
        """Programs where the school takes part: as a participant or on either side of a pair.
        Correlated EXISTS per program: a join of both sides would multiply thousands of
        participants by thousands of pairs."""
        Participant, CuratorPair = _related("participants"), _related("pairs")
        return self.filter(
            Exists(Participant.objects.filter(program=OuterRef("pk"), organization=school))
            | Exists(
                CuratorPair.objects.filter(program=OuterRef("pk")).filter(
                    Q(supported_school=school) | Q(curator_school=school)
                )
            )
        )

    def supporting(self, schools):
        """Programs where any of `schools` (a queryset or ids) is a supported school, by the
        one rule of `Program.supported_schools`."""
        Participant = _related("participants")
        return self.filter(
            pk__in=Participant.objects.supported()
            .filter(organization__in=schools)
            .values("program")
        )


# Days after a monitoring point's date that schools enter their values when the point names no
# deadline of its own: a month, as the orders give for the interim reports.
DEFAULT_ENTRY_WINDOW_DAYS = 30


class Program(models.Model):
    """A program or project of targeted support («адресная поддержка»), approved by an order."""

    class Level(models.TextChoices):
        FEDERAL = "federal", "федеральный"
        REGIONAL = "regional", "региональный"
        MUNICIPAL = "municipal", "муниципальный"

    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        ACTIVE = "active", "реализуется"
        COMPLETED = "completed", "завершена"

    title = models.CharField("название", max_length=1000)
    short_title = models.CharField("краткое название", max_length=200)
    level = models.CharField("уровень", max_length=16, choices=Level.choices)
    owner = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="owned_programs",
        verbose_name="орган управления образованием",
    )
    operator = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_programs",
        verbose_name="оператор (методическая служба)",
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name="регион",
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name="муниципалитет",
    )
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    goal = models.TextField("цель", blank=True)
    description = models.TextField(
        "постановка проблемы", blank=True, help_text="Обоснование, целевая аудитория"
    )
    order_number = models.CharField("номер приказа", max_length=64, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    order_title = models.CharField("название приказа", max_length=1000, blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    is_public = models.BooleanField(
        "публичная страница", default=False, help_text="Страницу программы видят без входа"
    )
    entry_window_days = models.PositiveSmallIntegerField(
        "срок приёма значений, дней",
        default=DEFAULT_ENTRY_WINDOW_DAYS,
        help_text="Сколько дней после даты точки мониторинга школы вводят значения, если у "
        "точки не указан свой срок приёма",
    )
    # When the row last changed: the read API's `changed_since` (a queryset `.update()` of
    # these rows sets it itself).
    updated_at = models.DateTimeField("изменена", auto_now=True, db_index=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = "программа"
        verbose_name_plural = "программы"
        ordering = ["-starts_on", "short_title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="program_ends_after_start",
                violation_error_message="Окончание программы не может быть раньше начала.",
            ),
            models.CheckConstraint(
                condition=~Q(level="municipal") | Q(municipality__isnull=False),
                name="program_municipal_has_municipality",
                violation_error_message="У муниципальной программы должен быть указан муниципалитет.",
            ),
            models.CheckConstraint(
                condition=Q(level="federal") | Q(region__isnull=False),
                name="program_has_region",
                violation_error_message="У региональной и муниципальной программы должен быть регион.",
            ),
        ]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.pk])

    def clean(self):
        if (
            self.municipality_id
            and self.region_id
            and self.municipality.region_id != self.region_id
        ):
            raise ValidationError({"municipality": "Муниципалитет из другого региона."})

    @property
    def year(self):
        """The year that deadline wordings without a year («Май») refer to."""
        for day in (self.starts_on, self.order_date, self.ends_on):
            if day:
                return day.year
        return timezone.localdate().year

    @property
    def period(self):
        if self.starts_on and self.ends_on:
            return (self.starts_on, self.ends_on)
        return None

    @property
    def order_display(self):
        """«приказ № 1030 от 30.12.2022», as the documents write it."""
        parts = ["приказ"]
        if self.order_number:
            parts.append(f"№ {self.order_number}")
        if self.order_date:
            parts.append(f"от {self.order_date:%d.%m.%Y}")
        return " ".join(parts) if len(parts) > 1 else ""

    @property
    def territory(self):
        """The municipality of a municipal program, the region of a regional one, None for a
        federal program."""
        return self.municipality or self.region

    @property
    def territory_name(self):
        """The territory as every list, page and report names it: «Сургутский район»,
        «Пермский край», «Российская Федерация» for a federal program."""
        return str(self.territory or "Российская Федерация")

    @property
    def timezone_name(self):
        """The program region's time zone (a municipal program's region is its municipality's);
        a federal program without a region keeps the portal's zone (settings.TIME_ZONE)."""
        region = self.region or (self.municipality.region if self.municipality else None)
        return region.timezone if region else settings.TIME_ZONE

    def organizations_taking_part(self):
        """The organizations a roadmap item of the program may name as responsible and its
        lists filter by: its participants (schools and curators, in any role), its owner and
        its operator."""
        Participant = _related("participants")
        return Organization.objects.filter(
            Q(pk__in=Participant.objects.filter(program=self).values("organization"))
            | Q(pk__in=[self.owner_id, self.operator_id or 0])
        )

    def local_today(self, now=None):
        """Today in the program region's date: the day deadlines of the program are measured
        against («просрочено» when the deadline is before it). `now` is an aware moment,
        `timezone.now()` by default."""
        return timezone.localtime(
            now or timezone.now(), timezones.tzinfo(self.timezone_name)
        ).date()

    @staticmethod
    def group_by_local_date(programs, now=None):
        """{date: [program ids]} for these programs (instances, their regions loaded)."""
        now = now or timezone.now()
        dates = defaultdict(list)
        for program in programs:
            dates[program.local_today(now)].append(program.pk)
        return dict(dates)

    def supported_schools(self):
        """The program's supported schools (школы адресной поддержки): its participants with
        that role. The supported side of every pair is one, however the pair was made (the
        set-up form, the admin, an import, `bulk_create`): `CuratorPair` writes the participant
        rows of both its schools. Every page, report, export and access rule that speaks of
        a program's supported schools asks this, and nothing else."""
        return Organization.objects.filter(
            pk__in=self.participants.supported().values("organization")
        )


def _related(*path):
    """The model reached from `Program` along `path`, relation by relation («participants»,
    «pairs», «documents», «reviews»). Those models point at programs, so their modules import
    this one: the querysets above reach them through the relations instead."""
    model = Program
    for name in path:
        model = model._meta.get_field(name).related_model
    return model
