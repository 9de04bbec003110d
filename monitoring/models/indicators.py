"""Indicators a program watches."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.text import shorten
from programs.models import Program

from ..results import Assessment, Measure


class ProgramScopedQuerySet(models.QuerySet):
    """Rows that belong to a program: seen with it, changed by its coordinators."""

    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))


class IndicatorQuerySet(ProgramScopedQuerySet):
    def with_shared_titles(self):
        """Each indicator with `title_shared`: whether another indicator of its program bears the
        same title (its `display_title` then names its source)."""
        twins = Indicator._base_manager.filter(
            program=models.OuterRef("program"), title=models.OuterRef("title")
        ).exclude(pk=models.OuterRef("pk"))
        return self.annotate(title_shared=models.Exists(twins))

    def entered(self):
        """Indicators whose values people type in (not computed from the portal's data)."""
        return self.filter(method=Indicator.Method.ENTERED)

    def computed(self):
        """Indicators the portal computes from its own data; nobody types them in."""
        return self.exclude(method=Indicator.Method.ENTERED)

    def of_schools(self):
        """Indicators measured at each school (not for the program as a whole)."""
        return self.filter(level=Indicator.Level.SCHOOL)

    def with_program_targets(self):
        """Each indicator with `program_targets`: its targets for the program as a whole (no
        organization), by point date; one query for all indicators."""
        # Targets point at indicators (their module imports this one): reached by the relation.
        Target = self.model._meta.get_field("targets").related_model

        return self.prefetch_related(
            models.Prefetch(
                "targets",
                queryset=Target.objects.filter(organization__isnull=True)
                .select_related("point")
                .order_by(models.F("point__date").asc(nulls_first=True)),
                to_attr="program_targets",
            )
        )


class IndicatorManager(models.Manager.from_queryset(IndicatorQuerySet)):
    use_in_migrations = False

    def get_queryset(self):
        return super().get_queryset().with_shared_titles()


class Indicator(models.Model):
    """A measured quantity of a program (показатель): entered by schools or coordinators, or
    computed from the portal's own data."""

    class Unit(models.TextChoices):
        PERCENT = "percent", "%"
        COUNT = "count", "количество"
        SCORE = "score", "балл"
        YES_NO = "yes_no", "да / нет"

    class Direction(models.TextChoices):
        UP = "up", "чем больше, тем лучше"
        DOWN = "down", "чем меньше, тем лучше"

    class Level(models.TextChoices):
        PROGRAM = "program", "программа в целом"
        REGION = "region", "региональный уровень"
        MUNICIPALITY = "municipality", "муниципальный уровень"
        SCHOOL = "school", "уровень школы"

    class Method(models.TextChoices):
        ENTERED = "entered", "вводится"
        ATTENDANCE_SHARE = "attendance_share", "доля школ, участвовавших в событиях программы"
        EXCHANGE_EVENTS_REGIONAL = (
            "exchange_events_regional",
            "число региональных событий по обмену опытом",
        )
        EXCHANGE_EVENTS_MUNICIPAL = (
            "exchange_events_municipal",
            "число муниципальных событий по обмену опытом",
        )
        ITEMS_DONE_SHARE = "items_done_share", "доля выполненных мероприятий дорожной карты"
        AGREEMENTS_SHARE = "agreements_share", "доля пар с подписанным соглашением"
        DOCUMENTS_APPROVED_SHARE = "documents_approved_share", "доля одобренных документов школ"

    # Computed indicators that are a share of rows (in %) and those that are a count.
    SHARE_METHODS = frozenset(
        {
            Method.ATTENDANCE_SHARE,
            Method.ITEMS_DONE_SHARE,
            Method.AGREEMENTS_SHARE,
            Method.DOCUMENTS_APPROVED_SHARE,
        }
    )
    COUNT_METHODS = frozenset({Method.EXCHANGE_EVENTS_REGIONAL, Method.EXCHANGE_EVENTS_MUNICIPAL})

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="indicators", verbose_name="программа"
    )
    code = models.CharField("номер", max_length=16)
    title = models.TextField("показатель")
    unit = models.CharField("единица", max_length=16, choices=Unit.choices, default=Unit.PERCENT)
    source = models.CharField(
        "диагностический инструментарий",
        max_length=300,
        blank=True,
        help_text="ГИА, ВПР, РЭШ, ВСОКО, промежуточная аттестация…",
    )
    group = models.CharField("группа", max_length=300, blank=True)
    direction = models.CharField(
        "направление", max_length=8, choices=Direction.choices, default=Direction.UP
    )
    level = models.CharField("уровень", max_length=16, choices=Level.choices, default=Level.SCHOOL)
    method = models.CharField(
        "способ получения", max_length=32, choices=Method.choices, default=Method.ENTERED
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    # An indicator «from assessment results» names the assessment, its subjects and grades and
    # the measure taken from them; its values come in by the results import
    # (monitoring/results_import.py). `source` stays the free text of the program's document.
    assessment = models.CharField(
        "оценочная процедура", max_length=16, choices=Assessment.choices, blank=True
    )
    subjects = models.JSONField(
        "предметы",
        default=list,
        blank=True,
        help_text="Как в таблице результатов; пусто — все предметы",
    )
    grades = models.JSONField("классы", default=list, blank=True, help_text="Пусто — все классы")
    measure = models.CharField("мера", max_length=16, choices=Measure.choices, blank=True)
    # When the row last changed: the read API's `changed_since` (a queryset `.update()` of
    # these rows sets it itself).
    updated_at = models.DateTimeField("изменено", auto_now=True, db_index=True)

    # Every indicator read through the manager (and a program's `indicators`) knows whether its
    # title is shared, so `display_title` costs no query of its own.
    objects = IndicatorManager()

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["program", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="indicator_unique_code",
                violation_error_message="В программе уже есть показатель с таким номером.",
            ),
            models.CheckConstraint(
                condition=Q(assessment="", measure="")
                | (~Q(assessment="") & ~Q(measure="") & Q(method="entered")),
                name="indicator_results_complete",
                violation_error_message="У показателя из результатов оценочных процедур укажите "
                "процедуру и меру; такой показатель не вычисляется порталом.",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {shorten(self.display_title, 100)}"

    @property
    def display_title(self):
        """The title as people read it everywhere — pages, letters, reports, charts: where two
        indicators of one program share a title («Качество знаний и успеваемость (%)» from ВПР
        and from промежуточная аттестация), it names the source that tells them apart."""
        if self.source and self._title_shared():
            return f"{self.title} ({self.source})"
        return self.title

    def _title_shared(self):
        shared = getattr(self, "title_shared", None)
        if shared is None:
            # Read without the manager (through select_related, or just created): one query.
            shared = (
                Indicator._base_manager.filter(program_id=self.program_id, title=self.title)
                .exclude(pk=self.pk)
                .exists()
            )
            self.title_shared = shared
        return shared

    def deletion_blocker(self):
        """An indicator with values keeps them."""
        if self.measurements.exists():
            return "У показателя уже есть значения: его нельзя удалить."
        return ""

    @property
    def from_results(self):
        """Whether the values come from assessment results (ВПР, ОГЭ, ЕГЭ, regional)."""
        return bool(self.assessment)

    @property
    def is_computed(self):
        return self.method != self.Method.ENTERED

    @property
    def is_entered_at_school(self):
        """Whether each school types in its value: `IndicatorQuerySet.entered().of_schools()`
        for one indicator already fetched."""
        return not self.is_computed and self.level == self.Level.SCHOOL

    BETTER, WORSE, SAME = "better", "worse", "same"

    def movement(self, before, after):
        """Whether a value that went from `before` to `after` improved: «better» when it moved
        the way the indicator's direction calls good (up for «чем больше, тем лучше», down for
        «чем меньше, тем лучше»), «worse» when it moved the other way, «same» when it did not
        move; None when either value is missing. Every page, report and chart that marks a
        change as an improvement or a decline asks this."""
        if before is None or after is None:
            return None
        if after == before:
            return self.SAME
        went_up = after > before
        return self.BETTER if went_up == (self.direction == self.Direction.UP) else self.WORSE

    def favourable(self, change):
        """A change (after − before, or a difference of changes) signed so that positive is
        better by the indicator's direction: as is for «чем больше, тем лучше», negated for
        «чем меньше, тем лучше»; None stays None. `movement` names the same rule in words."""
        if change is None:
            return None
        return change if self.direction == self.Direction.UP else -change

    def check_value(self, value):
        """The unit's rule for a value, with a message for the person who typed it."""
        if value is None:
            return
        if self.unit == self.Unit.PERCENT and not (Decimal(0) <= value <= Decimal(100)):
            raise ValidationError("Процент должен быть от 0 до 100.")
        if self.unit == self.Unit.COUNT and (value < 0 or value != value.to_integral_value()):
            raise ValidationError("Количество должно быть целым числом не меньше 0.")
        if self.unit == self.Unit.YES_NO and value not in (Decimal(0), Decimal(1)):
            raise ValidationError("Допустимы только значения «да» или «нет».")
        if self.unit == self.Unit.SCORE and value < 0:
            raise ValidationError("Балл не может быть отрицательным.")
