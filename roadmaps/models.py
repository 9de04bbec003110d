"""Plans and what happens: roadmaps with their items and deadlines, progress reports with
evidence, events and who attended them."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.access import access_rule, any_of, reach
from core.revisions import RevisionedModel
from core.text import shorten
from programs.models import CuratorPair, Module, Program
from schools.models import Organization, RiskFactor

from .schedule import parse_schedule


class RoadmapQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Roadmaps of programs the user sees; a school's or a pair's roadmap only to those who
        see that school or sit in that pair."""
        r = reach(user)
        programs = Program.objects.visible_to(user)
        own = r.schools | r.curated_schools
        return self.filter(program__in=programs).filter(
            any_of(
                Q(level__in=[Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL]),
                r.sees_organization("organization"),
                # A pair's roadmap has no organization; it is seen with its supported school.
                r.sees_organization("pair__supported_school"),
                Q(pair__in=r.pairs) if r.pairs else None,
                Q(pair__supported_school__in=own) | Q(pair__curator_school__in=own)
                if own
                else None,
            )
        )

    @access_rule
    def editable_by(self, user):
        """Roadmaps whose items the user may add, change and reorder: coordinators of the
        program, and the curators of a pair for the pair's roadmap. Never more than the user
        sees: a coordinator of a federal program's owner does not change the roadmap of a
        school outside their territory."""
        r = reach(user)
        return self.visible_to(user).filter(
            any_of(
                Q(program__in=Program.objects.editable_by(user)),
                Q(pair__in=r.pairs) if r.pairs else None,
            )
        )

    def with_progress(self, today=None):
        """Each roadmap with `items_total`, `items_done` and `items_late`, counted in the
        database."""
        today = today or timezone.localdate()
        return self.annotate(
            items_total=models.Count("items", distinct=True),
            items_done=models.Count(
                "items", filter=Q(items__status=RoadmapItem.Status.DONE), distinct=True
            ),
            items_late=models.Count(
                "items",
                filter=~Q(items__status__in=RoadmapItem.CLOSED) & Q(items__due_on__lt=today),
                distinct=True,
            ),
        )

    def of_school(self, school):
        """Roadmaps that are the school's own: its school roadmap and its pairs' roadmaps."""
        return self.filter(
            Q(organization=school)
            | Q(pair__supported_school=school)
            | Q(pair__curator_school=school)
        )


class Roadmap(models.Model):
    """A roadmap (дорожная карта, план-график, план мероприятий) of a program, a municipality,
    a school or a pair."""

    class Level(models.TextChoices):
        PROGRAM = "program", "программа"
        MUNICIPAL = "municipal", "муниципалитет"
        SCHOOL = "school", "школа"
        PAIR = "pair", "пара"

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="roadmaps", verbose_name="программа"
    )
    level = models.CharField("уровень", max_length=16, choices=Level.choices)
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="организация",
        help_text="Школа — для дорожной карты школы",
    )
    pair = models.ForeignKey(
        CuratorPair,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="пара",
    )
    title = models.CharField("название", max_length=1000)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["program", "level", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="school") | Q(organization__isnull=False),
                name="roadmap_school_has_organization",
                violation_error_message="У дорожной карты школы должна быть указана школа.",
            ),
            models.CheckConstraint(
                condition=~Q(level="pair") | Q(pair__isnull=False),
                name="roadmap_pair_has_pair",
                violation_error_message="У дорожной карты пары должна быть указана пара.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:roadmap", args=[self.pk])

    def clean(self):
        if self.pair_id and self.program_id and self.pair.program_id != self.program_id:
            raise ValidationError({"pair": "Пара из другой программы."})


class RoadmapItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(roadmap__in=Roadmap.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(roadmap__in=Roadmap.objects.editable_by(user))

    @access_rule
    def reportable_by(self, user):
        """Items whose progress the user may report: those of roadmaps they may edit, of their
        school's or pair's roadmap, and items their school is responsible for."""
        r = reach(user)
        own = r.editor_schools
        return self.visible_to(user).filter(
            any_of(
                Q(roadmap__in=Roadmap.objects.editable_by(user)),
                Q(roadmap__organization__in=own) if own else None,
                Q(roadmap__pair__supported_school__in=own) if own else None,
                Q(roadmap__pair__curator_school__in=own) if own else None,
                Q(
                    pk__in=RoadmapItem.responsible.through.objects.filter(
                        organization__in=own | r.curated_schools
                    ).values("roadmapitem")
                )
                if own or r.curated_schools
                else None,
            )
        )

    def open(self):
        return self.exclude(status__in=RoadmapItem.CLOSED)

    def undated(self):
        """Items with neither a start nor a due date: their wording («ежемесячно», «по
        запросу») names none and nobody has set them by hand, so they are never late."""
        return self.filter(starts_on__isnull=True, due_on__isnull=True)

    def late(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))

    def due_soon_or_late(self, days, today=None):
        """Open items that are late or due within `days`: what a person must do next."""
        today = today or timezone.localdate()
        return self.open().filter(due_on__lte=today + timedelta(days=days))

    def progress(self, today=None):
        """Counts of the items: total, done and late, in one query."""
        today = today or timezone.localdate()
        return self.aggregate(
            total=models.Count("pk"),
            done=models.Count("pk", filter=Q(status=RoadmapItem.Status.DONE)),
            late=models.Count("pk", filter=~Q(status__in=RoadmapItem.CLOSED) & Q(due_on__lt=today)),
        )


class RoadmapItem(RevisionedModel):
    """One item of a roadmap (мероприятие): what, by when, who, and what shows it is done."""

    class Status(models.TextChoices):
        PLANNED = "planned", "запланировано"
        IN_PROGRESS = "in_progress", "выполняется"
        DONE = "done", "выполнено"
        NOT_DONE = "not_done", "не выполнено"
        CANCELLED = "cancelled", "отменено"

    # Items in these states can no longer be late.
    CLOSED = (Status.DONE, Status.CANCELLED)

    roadmap = models.ForeignKey(
        Roadmap, models.CASCADE, related_name="items", verbose_name="дорожная карта"
    )
    module = models.ForeignKey(
        Module,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="модуль",
    )
    number = models.CharField("номер", max_length=16, blank=True)
    order = models.PositiveIntegerField("порядок", default=0)
    title = models.TextField("мероприятие")
    schedule_text = models.CharField(
        "срок реализации",
        max_length=300,
        blank=True,
        help_text="Как в документе: «Февраль – декабрь 2023», «в течение года», «постоянно»",
    )
    starts_on = models.DateField("начало", null=True, blank=True)
    due_on = models.DateField("срок", null=True, blank=True)
    recurring = models.BooleanField("ежегодно", default=False)
    responsible = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="responsible_items",
        verbose_name="ответственные организации",
    )
    responsible_note = models.TextField("ответственный исполнитель", blank=True)
    expected_result = models.TextField("показатель реализации", blank=True)
    risk_factors = models.ManyToManyField(
        RiskFactor, blank=True, related_name="items", verbose_name="факторы риска"
    )
    target = models.ForeignKey(
        "monitoring.Target",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="целевое значение показателя",
    )
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField("выполнено", null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[responsible])
    objects = RoadmapItemQuerySet.as_manager()

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожной карты"
        ordering = ["roadmap", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="item_due_not_before_start",
                violation_error_message="Срок мероприятия не может быть раньше его начала.",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="done"),
                name="item_completed_only_when_done",
                violation_error_message="Дата выполнения указывается только у выполненного мероприятия.",
            ),
        ]

    def __str__(self):
        return f"{self.number} {shorten(self.title, 100)}".strip()

    def get_absolute_url(self):
        return reverse("roadmaps:item", args=[self.pk])

    def apply_schedule(self, program=None):
        """Derive the dates from the wording, the year taken from the program when the wording
        names none."""
        program = program or self.roadmap.program
        schedule = parse_schedule(self.schedule_text, year=program.year, period=program.period)
        self.starts_on, self.due_on, self.recurring = (
            schedule.starts_on,
            schedule.due_on,
            schedule.recurring,
        )
        return schedule

    def set_status(self, status, today=None):
        """Set the status; a done item remembers the day it was done, any other forgets it."""
        self.status = status
        if status == self.Status.DONE:
            self.completed_on = self.completed_on or today or timezone.localdate()
        else:
            self.completed_on = None

    def is_late_on(self, today):
        return self.status not in self.CLOSED and self.due_on is not None and self.due_on < today

    @property
    def is_late(self):
        return self.is_late_on(timezone.localdate())


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.report.item_id}/{filename}"


class ItemReport(models.Model):
    """A progress report on an item (отчёт об исполнении): the status it sets and what was done."""

    item = models.ForeignKey(
        RoadmapItem, models.CASCADE, related_name="reports", verbose_name="мероприятие"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="item_reports",
        verbose_name="автор",
    )
    organization = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="item_reports",
        verbose_name="от организации",
    )
    created_at = models.DateTimeField("дата", default=timezone.now)
    status = models.CharField("состояние", max_length=16, choices=RoadmapItem.Status.choices)
    text = models.TextField("что сделано", blank=True)

    class Meta:
        verbose_name = "отчёт об исполнении"
        verbose_name_plural = "отчёты об исполнении"
        ordering = ["item", "-created_at"]

    def __str__(self):
        return f"{self.item}: {self.get_status_display()}"


class EvidenceQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Evidence is seen by whoever sees its item, except that what a school attached to an
        item of a program-wide or municipal roadmap (which every school of the program sees)
        stays the school's: those who see that school fetch it — its staff, its curators, the
        staff of its territory. Evidence from an authority or a methodical centre is the
        program's material, for everyone who sees the item."""
        r = reach(user)
        shared = Q(
            report__item__roadmap__level__in=[Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL]
        )
        return self.filter(report__item__in=RoadmapItem.objects.visible_to(user)).filter(
            any_of(
                ~shared,
                Q(report__organization__isnull=True),
                ~Q(report__organization__kind=Organization.Kind.SCHOOL),
                r.sees_organization("report__organization"),
            )
        )


class Evidence(models.Model):
    """A file that proves an item was done (подтверждающий документ)."""

    report = models.ForeignKey(
        ItemReport, models.CASCADE, related_name="evidence", verbose_name="отчёт"
    )
    file = models.FileField("файл", upload_to=evidence_upload_to)
    original_name = models.CharField("имя файла", max_length=300)
    size = models.PositiveIntegerField("размер, байт", default=0)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "подтверждающий документ"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["report", "pk"]

    def __str__(self):
        return self.original_name


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))


class Event(models.Model):
    """An event of a program: a seminar, webinar, master class, audit…"""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", "семинар"
        WEBINAR = "webinar", "вебинар"
        VIDEOCONFERENCE = "videoconference", "ВКС"
        MASTER_CLASS = "master_class", "мастер-класс"
        ROUND_TABLE = "round_table", "круглый стол"
        AUDIT = "audit", "методический аудит"
        CONSULTATION = "consultation", "консультация"
        CONTEST = "contest", "конкурс"
        COURSE = "course", "курсы повышения квалификации"
        MEETING = "meeting", "совещание"

    class Level(models.TextChoices):
        REGIONAL = "regional", "региональное"
        MUNICIPAL = "municipal", "муниципальное"
        SCHOOL = "school", "школьное"

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="events", verbose_name="программа"
    )
    item = models.ForeignKey(
        RoadmapItem,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="мероприятие дорожной карты",
    )
    title = models.CharField("название", max_length=500)
    kind = models.CharField("форма", max_length=32, choices=Kind.choices)
    level = models.CharField(
        "уровень", max_length=16, choices=Level.choices, default=Level.MUNICIPAL
    )
    is_exchange = models.BooleanField(
        "обмен опытом",
        default=False,
        help_text="Мероприятие по обмену опытом между участниками",
    )
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание", null=True, blank=True)
    place = models.CharField("место", max_length=500, blank=True)
    link = models.URLField("ссылка", blank=True)
    organizer = models.ForeignKey(
        Organization,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="organized_events",
        verbose_name="организатор",
    )
    description = models.TextField("описание", blank=True)
    invited = models.ManyToManyField(
        Organization, blank=True, related_name="invitations", verbose_name="приглашены"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["program", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="Окончание мероприятия не может быть раньше начала.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmaps:event", args=[self.pk])

    def clean(self):
        if self.item_id and self.program_id and self.item.roadmap.program_id != self.program_id:
            raise ValidationError({"item": "Мероприятие дорожной карты из другой программы."})


class Attendance(models.Model):
    """An organization's attendance at an event (участие в мероприятии)."""

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="attendances", verbose_name="мероприятие"
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="attendances", verbose_name="организация"
    )
    people_count = models.PositiveIntegerField("участников, чел.", default=1)
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "участие"
        verbose_name_plural = "участие в мероприятиях"
        ordering = ["event", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"],
                name="attendance_unique",
                violation_error_message="Участие этой организации уже отмечено.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.event}"
