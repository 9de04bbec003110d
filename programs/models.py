"""What is administered: programs of targeted support with their tasks, stages, modules and
participants, the curator pairs, and the documents schools submit for review."""

import re
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.access import access_rule, any_of, reach
from core.revisions import RevisionedModel
from core.text import shorten
from schools.models import Municipality, Organization, Region, RiskFactor


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

    def local_today(self, now=None):
        """Today in the program region's date: the day deadlines of the program are measured
        against («просрочено» when the deadline is before it). `now` is an aware moment,
        `timezone.now()` by default."""
        return timezone.localtime(now or timezone.now(), ZoneInfo(self.timezone_name)).date()

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


# «1.», «1.2.», «3)» before a task's text in a pasted list.
TASK_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)*)[.)]?\s+(?P<text>\S.*)$")


class ProgramPart(models.Model):
    """A piece of a program that is listed in a fixed order."""

    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        abstract = True
        ordering = ["program", "order", "pk"]

    # Whether two lines of one pasted list may not be the same (a module's title is unique).
    unique_lines = False

    @classmethod
    def from_line(cls, program, line):
        """The unsaved part a line of a pasted list stands for."""
        raise NotImplementedError

    @classmethod
    def append_lines(cls, program, lines):
        """Add one part per line after the program's last one, in the lines' order; returns
        them. Each part's own checks run first (`full_clean`), and if one line is refused
        nothing is added: the ValidationError says which lines, by number."""
        last = cls.objects.filter(program=program).aggregate(models.Max("order"))["order__max"]
        parts, refused, seen = [], [], set()
        for number, line in enumerate(lines, start=1):
            part = cls.from_line(program, line)
            part.order = (last or 0) + len(parts) + 1
            try:
                part.full_clean()
            except ValidationError as error:
                refused.append(f"строка {number}: {' '.join(error.messages)}")
                continue
            if cls.unique_lines and line.casefold() in seen:
                refused.append(f"строка {number}: повторяет строку выше.")
                continue
            seen.add(line.casefold())
            parts.append(part)
        if refused:
            raise ValidationError(refused)
        return cls.objects.bulk_create(parts)


class Task(ProgramPart):
    """A task (задача) of a program."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="tasks", verbose_name="программа"
    )
    number = models.CharField("номер", max_length=16, blank=True)
    text = models.TextField("задача")

    class Meta(ProgramPart.Meta):
        verbose_name = "задача"
        verbose_name_plural = "задачи"

    def __str__(self):
        return f"{self.number} {shorten(self.text, 80)}".strip()

    @classmethod
    def from_line(cls, program, line):
        """«1.2. Создать условия…» keeps its number apart from its text."""
        match = TASK_NUMBER.match(line)
        if match:
            return cls(program=program, number=match["number"], text=match["text"])
        return cls(program=program, text=line)


class Stage(ProgramPart):
    """A stage (этап) of a program with its dates."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="stages", verbose_name="программа"
    )
    title = models.CharField("этап", max_length=300)
    starts_on = models.DateField("начало", null=True, blank=True)
    ends_on = models.DateField("окончание", null=True, blank=True)
    description = models.TextField("содержание", blank=True)

    class Meta(ProgramPart.Meta):
        verbose_name = "этап"
        verbose_name_plural = "этапы"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="stage_ends_after_start",
                violation_error_message="Окончание этапа не может быть раньше начала.",
            ),
        ]

    def __str__(self):
        return self.title


class Module(ProgramPart):
    """A module (модуль) that groups roadmap items: «Есть проект», «ПрофСреда»…"""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="modules", verbose_name="программа"
    )
    title = models.CharField("модуль", max_length=300)
    description = models.TextField("описание", blank=True)

    unique_lines = True

    class Meta(ProgramPart.Meta):
        verbose_name = "модуль"
        verbose_name_plural = "модули"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "title"],
                name="module_unique_title",
                violation_error_message="В программе уже есть модуль с таким названием.",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_line(cls, program, line):
        return cls(program=program, title=line)


class ExpectedResult(ProgramPart):
    """A planned result (планируемый / ожидаемый результат) of a program, as written."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="expected_results", verbose_name="программа"
    )
    text = models.TextField("результат")

    class Meta(ProgramPart.Meta):
        verbose_name = "ожидаемый результат"
        verbose_name_plural = "ожидаемые результаты"

    def __str__(self):
        return shorten(self.text, 80)


class ParticipantRole(ProgramPart):
    """What a kind of participant does in a program («Школы-кураторы обеспечивают: …»), as the
    program's document assigns it, whether or not the participants are named."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="roles", verbose_name="программа"
    )
    title = models.CharField("участник", max_length=500)
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_roles",
        verbose_name="организация",
        help_text="Если документ называет конкретную организацию",
    )
    functions = models.TextField("функции", help_text="По одной функции в строке")

    class Meta(ProgramPart.Meta):
        verbose_name = "роль участника"
        verbose_name_plural = "роли участников"

    def __str__(self):
        return self.title

    @property
    def function_list(self):
        return [line.strip() for line in self.functions.splitlines() if line.strip()]

    @property
    def functions_text(self):
        """The functions in one run of text, punctuated as the order lists them: a line keeps
        the ending it was written with («…в Пермском крае;», the last «…условиях».), and a
        line typed without one is ended with «;» (the last with «.»), so no separator is ever
        doubled."""
        lines = self.function_list
        return " ".join(
            line if line[-1] in ".;:,!?…" else line + (";" if n < len(lines) else ".")
            for n, line in enumerate(lines, start=1)
        )


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
    def has_signed_agreement(self):
        return any(a.signed_on for a in self.agreements.all())


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
        return self.signed_on is not None


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


class DocumentVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A version is seen by whoever sees its document."""
        return self.filter(document__in=Document.objects.visible_to(user))


class DocumentVersion(models.Model):
    """One uploaded file of a document; earlier versions are kept."""

    document = models.ForeignKey(
        Document, models.CASCADE, related_name="versions", verbose_name="документ"
    )
    number = models.PositiveIntegerField("версия")
    file = models.FileField("файл", upload_to="documents/versions/%Y/")
    original_name = models.CharField("имя файла", max_length=300)
    size = models.PositiveIntegerField("размер, байт", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)
    comment = models.CharField("комментарий", max_length=500, blank=True)

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "версия документа"
        verbose_name_plural = "версии документов"
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="documentversion_unique_number",
                violation_error_message="Такая версия документа уже есть.",
            ),
        ]

    def __str__(self):
        return f"{self.document}, версия {self.number}"


class Review(models.Model):
    """A review of a document (экспертиза, взаимоэкспертиза) by an assigned expert."""

    class Verdict(models.TextChoices):
        PENDING = "pending", "ожидает экспертизы"
        APPROVED = "approved", "соответствует"
        NEEDS_REVISION = "needs_revision", "требует доработки"

    document = models.ForeignKey(
        Document, models.CASCADE, related_name="reviews", verbose_name="документ"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="reviews",
        verbose_name="эксперт",
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="организация эксперта",
        help_text="Для взаимоэкспертизы — школа, которая проводит экспертизу",
    )
    verdict = models.CharField(
        "заключение", max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("назначена", default=timezone.now)
    decided_at = models.DateTimeField("дата заключения", null=True, blank=True)
    by_checklist = models.BooleanField(
        "по экспертному листу",
        default=False,
        help_text="Эксперт заполняет лист критериев; решение по документу — по всем листам",
    )

    class Meta:
        verbose_name = "экспертиза"
        verbose_name_plural = "экспертизы"
        ordering = ["document", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "reviewer"],
                name="review_unique_reviewer",
                violation_error_message="Этот эксперт уже назначен на документ.",
            ),
        ]

    def __str__(self):
        return f"{self.document}: {self.get_verdict_display()}"
