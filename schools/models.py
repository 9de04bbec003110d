"""The territory and its organizations: regions, municipalities, schools and authorities, the
yearly identification of schools, who works where, and the risk factors of schools."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core import timezones
from core.access import access_rule, any_of, reach
from core.revisions import RevisionedModel


class RegionQuerySet(models.QuerySet):
    @access_rule
    def covered_by(self, user, *, coordinator=False):
        """Regions where the user's authority or methodical centre works: a regional body covers
        its region, a municipal one lies in its region. With `coordinator`, only where the user
        is a coordinator."""
        r = reach(user)
        regions = r.coordinator_regions if coordinator else r.regions
        municipalities = r.coordinator_municipalities if coordinator else r.municipalities
        return self.filter(
            any_of(
                Q(pk__in=regions) if regions else None,
                Q(municipalities__in=municipalities) if municipalities else None,
            )
        ).distinct()

    @access_rule
    def covered_whole_by(self, user, *, coordinator=False):
        """Regions the user's regional body covers as a whole (not through one municipality);
        with `coordinator`, those they coordinate, where they may also keep organizations that
        belong to no municipality."""
        r = reach(user)
        regions = r.coordinator_regions if coordinator else r.regions
        return self.filter(pk__in=regions)


class Region(models.Model):
    """A subject of the Russian Federation (регион): the top of the hierarchy."""

    name = models.CharField("название", max_length=200, unique=True)
    code = models.CharField(
        "код субъекта", max_length=8, unique=True, help_text="Код субъекта РФ, например 86"
    )
    # One of Russia's zones (core/timezones.py), chosen by its Russian name; the database
    # refuses any other, so no page meets a zone Python cannot load.
    timezone = models.CharField(
        "часовой пояс",
        max_length=64,
        choices=timezones.CHOICES,
        default="Europe/Moscow",
        help_text="Время событий и сроков региона показывается в нём",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(timezone__in=[name for name, _ in timezones.CHOICES]),
                name="region_timezone_of_russia",
                violation_error_message="Выберите часовой пояс из списка поясов России.",
            )
        ]

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    @access_rule
    def covered_by(self, user, *, coordinator=False):
        """Municipalities in the user's territory: all of a regional body's region, or the
        municipality of a municipal one. With `coordinator`, only where the user coordinates."""
        r = reach(user)
        return self.filter(r.territory("region", "pk", coordinator=coordinator))


class Municipality(models.Model):
    """A municipal district or city district (муниципалитет) inside a region."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "муниципальный район"
        CITY = "city", "городской округ"

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name="регион"
    )
    name = models.CharField("название", max_length=200)
    kind = models.CharField("вид", max_length=16, choices=Kind.choices, default=Kind.DISTRICT)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="municipality_unique_name_in_region"
            ),
        ]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        r = reach(user)
        return self.filter(r.sees_organization())

    @access_rule
    def editable_by(self, user):
        """Organizations whose record and yearly statuses the user may change."""
        r = reach(user)
        return self.filter(r.territory("region", "municipality", coordinator=True))

    @access_rule
    def data_editable_by(self, user):
        """Schools whose progress, values, documents and risk profile the user may change."""
        r = reach(user)
        return self.filter(r.changes_school_data())

    def schools(self):
        return self.filter(kind=Organization.Kind.SCHOOL)


class Organization(models.Model):
    """A school, a branch of a school, an education authority, a methodical centre or a partner."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "образовательная организация"
        AUTHORITY = "authority", "орган управления образованием"
        METHODICAL_CENTER = "methodical_center", "методическая служба"
        PARTNER = "partner", "организация-партнёр"

    # Staff of these kinds see everything in their territory.
    TERRITORIAL_KINDS = (Kind.AUTHORITY, Kind.METHODICAL_CENTER)

    name = models.CharField("полное название", max_length=500)
    short_name = models.CharField("краткое название", max_length=200)
    kind = models.CharField("вид", max_length=32, choices=Kind.choices, default=Kind.SCHOOL)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="organizations", verbose_name="регион"
    )
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="муниципалитет",
        help_text="Пусто у региональных органов и организаций",
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name="головная школа",
        help_text="Заполняется у филиала",
    )
    inn = models.CharField("ИНН", max_length=12, blank=True)
    code = models.CharField("код ОО", max_length=32, blank=True)
    # The school's login or code in the tables of assessment results (ФИС ОКО, РЦОИ): what a
    # results import matches rows by first, before the ИНН.
    results_code = models.CharField(
        "код в результатах оценочных процедур",
        max_length=32,
        blank=True,
        help_text="Логин или код школы в ФИС ОКО / РЦОИ, как в таблицах результатов ВПР, ОГЭ, ЕГЭ",
    )
    address = models.CharField("адрес", max_length=500, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("сайт", blank=True)
    # What the API's «changed since» reads; bulk writes set it themselves (schools/imports.py).
    updated_at = models.DateTimeField("изменена", auto_now=True, db_index=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="school"),
                name="organization_branch_is_school",
                violation_error_message="Филиалом может быть только образовательная организация.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="organization_not_own_branch",
                violation_error_message="Организация не может быть филиалом самой себя.",
            ),
            models.UniqueConstraint(
                fields=["region", "short_name"],
                name="organization_unique_short_name_in_region",
                violation_error_message="В регионе уже есть организация с таким кратким названием.",
            ),
            models.UniqueConstraint(
                fields=["region", "results_code"],
                condition=~Q(results_code=""),
                name="organization_unique_results_code_in_region",
                violation_error_message="В регионе уже есть школа с таким кодом ФИС ОКО / РЦОИ.",
            ),
        ]
        # The parent's kind is checked by a trigger (migration 0002): a CHECK cannot read
        # another row, and a branch hung on an authority would break every school list. The
        # same trigger keeps a branch in its parent's municipality (migration 0003).

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("schools:organization", args=[self.pk])

    @property
    def is_school(self):
        return self.kind == self.Kind.SCHOOL

    def clean(self):
        if self.parent_id is not None:
            if self.parent.kind != self.Kind.SCHOOL:
                raise ValidationError(
                    {"parent": "Головной организацией филиала может быть только школа."}
                )
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": "Филиал не может быть головной школой."})
            # A branch under a school of another territory would be seen and changed by that
            # school's staff; the database refuses it too (trigger, migration 0003).
            if (self.parent.region_id, self.parent.municipality_id) != (
                self.region_id,
                self.municipality_id,
            ):
                raise ValidationError(
                    {"parent": "Головная школа должна быть в том же муниципалитете, что и филиал."}
                )
        if self.municipality_id is not None and self.municipality.region_id != self.region_id:
            raise ValidationError({"municipality": "Муниципалитет из другого региона."})

    @property
    def territory_name(self):
        return str(self.municipality or self.region)


class SchoolStatus(models.Model):
    """The yearly identification (идентификация) of a school into a category."""

    class Category(models.TextChoices):
        LOW_RESULTS = "low_results", "ШНОР — низкие образовательные результаты"
        HARD_SOCIAL_CONDITIONS = "hard_social_conditions", "ШССУ — сложные социальные условия"
        RISK_ZONE = "risk_zone", "«зона риска»"
        DEPRIVED = "deprived", "«депривированные»"
        NOT_COPING = "not_coping", "«несправляющиеся»"
        RESILIENT = "resilient", "«резильентные»"
        EFFECTIVE = "effective", "«эффективные»"

    SUPPORTED = (
        Category.LOW_RESULTS,
        Category.HARD_SOCIAL_CONDITIONS,
        Category.RISK_ZONE,
        Category.DEPRIVED,
        Category.NOT_COPING,
    )

    school = models.ForeignKey(
        Organization, models.CASCADE, related_name="statuses", verbose_name="школа"
    )
    year = models.PositiveSmallIntegerField("год")
    category = models.CharField("категория", max_length=32, choices=Category.choices)
    source = models.CharField(
        "основание",
        max_length=300,
        blank=True,
        help_text="Например, приказ или итоги идентификации",
    )

    class Meta:
        verbose_name = "статус школы"
        verbose_name_plural = "статусы школ"
        ordering = ["school", "-year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "category"],
                name="schoolstatus_unique",
                violation_error_message="Этот статус за этот год уже указан.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="schoolstatus_year_range",
                violation_error_message="Год должен быть между 2000 и 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.get_category_display()} ({self.year})"


class Membership(models.Model):
    """Who works where, and with what role: access follows from it."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "координатор"
        STAFF = "staff", "сотрудник"
        VIEWER = "viewer", "наблюдатель"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name="пользователь",
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="memberships", verbose_name="организация"
    )
    role = models.CharField("роль", max_length=16, choices=Role.choices, default=Role.STAFF)
    position = models.CharField("должность", max_length=200, blank=True)

    class Meta:
        verbose_name = "место работы"
        verbose_name_plural = "места работы"
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="membership_unique",
                violation_error_message="Пользователь уже связан с этой организацией.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


class RiskFactor(models.Model):
    """A factor of the catalogue of risks of low results (факторы риска), grouped by heading."""

    code = models.CharField("код", max_length=16, unique=True)
    title = models.CharField("фактор риска", max_length=300)
    group = models.CharField("группа", max_length=300)
    description = models.TextField("описание риска", blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "фактор риска"
        verbose_name_plural = "факторы риска"
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code}. {self.title}"


class RiskProfileQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Profiles of the organizations the user sees; a draft only to those who may finish
        it (the school's staff, coordinators of its territory): it is the school's unfinished
        work, not yet its risk profile."""
        r = reach(user)
        return self.filter(r.sees_organization("school")).filter(
            Q(status=RiskProfile.Status.SUBMITTED) | r.changes_school_data("school")
        )

    @access_rule
    def editable_by(self, user):
        r = reach(user)
        return self.filter(r.changes_school_data("school"))

    def submitted(self):
        """The profiles that are the school's risk profile: every comparison, dynamics,
        traceability, pairing, report and count reads profiles through here, so a draft
        changes none of them until it is submitted."""
        return self.filter(status=RiskProfile.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=RiskProfile.Status.DRAFT)

    def drafts_to_finish(self, user):
        """Drafts the user's own school saved and has not submitted: on their home page as
        something to finish. A coordinator or curator may open a school's draft, but it is the
        school's to finish, not theirs."""
        schools = reach(user).editor_schools
        return self.drafts().filter(school__in=schools) if schools else self.none()


class RiskProfile(RevisionedModel):
    """A snapshot of a school's risk levels (рисковый профиль школы) on a date.

    A profile belongs to the school, not to a program: `schools` depends on no other app, and a
    school keeps one risk history whichever programs it takes part in.

    The school may save an unfinished profile as a draft (черновик): what it filled in
    correctly is kept, the date may still be missing, and the draft counts nowhere
    (`RiskProfileQuerySet.submitted`) until it is submitted with every field valid."""

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "отправлен"

    school = models.ForeignKey(
        Organization, models.CASCADE, related_name="risk_profiles", verbose_name="школа"
    )
    # Empty only in a draft (a constraint says so); the form asks for it on submitting.
    assessed_on = models.DateField("дата оценки", null=True, blank=True)
    source = models.CharField(
        "источник", max_length=300, blank=True, help_text="Например, анкетирование ФИС ОКО"
    )
    # Profiles saved before drafts existed were complete: they are submitted.
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="заполнил",
    )

    objects = RiskProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "рисковый профиль"
        verbose_name_plural = "рисковые профили"
        ordering = ["school", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "assessed_on"],
                name="riskprofile_unique_date",
                violation_error_message="У школы уже есть профиль на эту дату.",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status="draft"),
                name="riskprofile_one_draft",
                violation_error_message="У школы уже есть черновик рискового профиля.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(assessed_on__isnull=False),
                name="riskprofile_submitted_dated",
                violation_error_message="У отправленного профиля должна быть дата оценки.",
            ),
        ]

    def __str__(self):
        day = f"{self.assessed_on:%d.%m.%Y}" if self.assessed_on else "без даты"
        return f"{self.school}, {day}{', черновик' if self.is_draft else ''}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def get_absolute_url(self):
        return reverse("schools:risk_profile", args=[self.pk])

    def compare_with(self, older, factors):
        """The dynamics from `older` to this profile for each of `factors`: rows of
        (factor, older level, this level, "up" / "down" / "same" / None when either is
        missing). Uses the `levels` already fetched (prefetch them)."""
        old = {level.factor_id: level for level in older.levels.all()} if older else {}
        new = {level.factor_id: level for level in self.levels.all()}
        rows = []
        for factor in factors:
            before, after = old.get(factor.pk), new.get(factor.pk)
            change = None
            if before is not None and after is not None:
                change = (
                    "up"
                    if after.severity > before.severity
                    else "down"
                    if after.severity < before.severity
                    else "same"
                )
            rows.append({"factor": factor, "before": before, "after": after, "change": change})
        return rows


class RiskLevel(models.Model):
    """The level of one risk factor in one profile."""

    class Level(models.TextChoices):
        HIGH = "high", "высокий"
        MEDIUM = "medium", "средний"
        LOW = "low", "низкий"
        NONE = "none", "отсутствует"

    # Higher is worse; used to tell whether a factor went up or down between two profiles.
    SEVERITY = {Level.NONE: 0, Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3}

    profile = models.ForeignKey(
        RiskProfile, models.CASCADE, related_name="levels", verbose_name="профиль"
    )
    factor = models.ForeignKey(
        RiskFactor, models.PROTECT, related_name="levels", verbose_name="фактор риска"
    )
    level = models.CharField("уровень", max_length=8, choices=Level.choices)

    class Meta:
        verbose_name = "уровень риска"
        verbose_name_plural = "уровни риска"
        ordering = ["profile", "factor__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "factor"],
                name="risklevel_unique_factor",
                violation_error_message="Уровень этого фактора в профиле уже указан.",
            ),
        ]

    def __str__(self):
        return f"{self.factor}: {self.get_level_display()}"

    @property
    def severity(self):
        return self.SEVERITY[self.level]
