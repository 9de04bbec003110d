"""Events and who attended them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from programs.models import Program
from schools.models import Organization

from .items import RoadmapItem


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))

    def with_participation(self, supported, within=None):
        """Each event with its participation counted in the database, as every report of
        events shows it: `invited_count` (organizations invited), `came_count` (organizations
        that came), `people` (people they brought) and `supported_came` (of `supported`, a
        queryset of the program's supported schools, those that came). `within` narrows the
        organizations counted (a condition on `organization`, e.g. a territory's)."""
        within = within if within is not None else Q()
        invited = Event.invited.through.objects.filter(within, event=models.OuterRef("pk"))
        came = Attendance.objects.filter(within, event=models.OuterRef("pk"))

        def per_event(rows, total):
            found = rows.order_by().values("event").annotate(n=total).values("n")
            return Coalesce(models.Subquery(found), 0)

        return self.annotate(
            invited_count=per_event(invited, Count("pk")),
            came_count=per_event(came, Count("pk")),
            people=per_event(came, models.Sum("people_count")),
            supported_came=per_event(came.filter(organization__in=supported), Count("pk")),
        )


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
        help_text="Событие по обмену опытом между участниками",
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
    # When the row last changed: the read API's `changed_since` (a queryset `.update()` of
    # these rows sets it itself).
    updated_at = models.DateTimeField("изменено", auto_now=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "событие"
        verbose_name_plural = "события"
        ordering = ["program", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="Окончание события не может быть раньше начала.",
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
    """An organization's attendance at an event (участие в мероприятии: an attendance at an event)."""

    event = models.ForeignKey(
        Event, models.CASCADE, related_name="attendances", verbose_name="событие"
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="attendances", verbose_name="организация"
    )
    people_count = models.PositiveIntegerField("участников, чел.", default=1)
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "участие"
        verbose_name_plural = "участие в событиях"
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
