"""Roadmap items with their deadlines and the organizations responsible for them."""

from datetime import timedelta

from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.access import access_rule, any_of, reach
from core.revisions import RevisionedModel
from core.text import shorten
from programs.models import Module, Program
from schools.models import Organization, RiskFactor

from ..schedule import parse_schedule
from .completion import (
    CLOSED,
    ItemStatus,
    completion_annotations,
    late_condition,
    on_local_date,
    with_share,
)
from .roadmaps import Roadmap


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
                    pk__in=ItemExecution.objects.filter(
                        organization__in=own | r.curated_schools
                    ).values("item")
                )
                if own or r.curated_schools
                else None,
            )
        )

    def programs(self):
        """The programs of these items with their regions loaded: what `late`, `completion` and
        `is_late` need to know each item's date. One query when evaluated."""
        return Program.objects.filter(pk__in=self.values("roadmap__program")).select_related(
            "region", "municipality__region"
        )

    def as_seen_by(self, schools):
        """Each item with `own_status`, the state that counts for `schools` (ids): where one of
        them carries the item out, the state of its own part (`ItemExecution`) — a part still
        open first, so that one school's done part never hides another's to do; for any other
        item (a pair's or a school's own roadmap, an item nobody is named for) the item's
        state. A school's home, its late lists and its reminders read this, never the overall
        state of a shared item. `open`, `late`, `due_within`, `due_soon_or_late` and
        `completion` of the result follow `own_status`, and so do `RoadmapItem.is_late` and
        `status_seen` of its rows."""
        schools = list(schools)
        if not schools:
            return self.annotate(own_status=F("status"))
        own = (
            ItemExecution.objects.filter(item=OuterRef("pk"), organization__in=schools)
            .annotate(
                closed=Case(
                    When(status__in=RoadmapItem.CLOSED, then=Value(1)),
                    default=Value(0),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("closed", "status")
            .values("status")[:1]
        )
        return self.annotate(own_status=Coalesce(Subquery(own), F("status")))

    def _status_field(self):
        """The field holding the state these items are judged by (see `as_seen_by`)."""
        return "own_status" if "own_status" in self.query.annotations else "status"

    def open(self):
        """Items that can still be late: neither done nor cancelled."""
        return self.exclude(**{f"{self._status_field()}__in": RoadmapItem.CLOSED})

    def undated(self):
        """Items with neither a start nor a due date: their wording («ежемесячно», «по
        запросу») names none and nobody has set them by hand, so they are never late."""
        return self.filter(starts_on__isnull=True, due_on__isnull=True)

    def late(self, now=None, programs=None):
        """Open items whose deadline is before today in their program region's date
        (`Program.local_today`). `now`: an aware moment, `timezone.now()` by default;
        `programs`: the programs these items belong to, when the caller has them loaded (else
        one query finds them)."""
        return self.filter(late_condition(now, programs=programs, status=self._status_field()))

    def due_within(self, days, now=None, programs=None):
        """Open items due today or in the next `days` days, in their program region's date."""
        return self.open().filter(
            on_local_date(
                lambda today: Q(due_on__gte=today, due_on__lte=today + timedelta(days=days)),
                now,
                programs,
            )
        )

    def due_soon_or_late(self, days, now=None, programs=None):
        """Open items that are late or due within `days`: what a person must do next."""
        return self.open().filter(
            on_local_date(lambda today: Q(due_on__lte=today + timedelta(days=days)), now, programs)
        )

    def completion(self, now=None, programs=None):
        """The completion counts of these items in one query: `total` (every item except the
        cancelled ones — a cancelled item means the plan changed, not that it failed), `done`,
        `in_progress`, `not_done`, `planned`, `cancelled` (shown as its own count), `late`
        (`late()`) and `share` (done out of total, in %, one decimal; None without items)."""
        counts = self.aggregate(
            **completion_annotations(now, programs=programs, status=self._status_field())
        )
        return with_share(counts)

    def in_scope(self, scope):
        """Items that lie in a territory (`scope`: a municipality or a region, as
        `dashboards.scope.Scope`; the whole program when it names neither):
        - a school's roadmap (or a municipal one that names its authority) — by its
          organization;
        - a pair's roadmap — by the supported school;
        - a program's or a municipality's roadmap — when the program's own territory lies in the
          scope (a municipal program of that municipality; a regional or municipal program of
          that region), or when one of the item's responsible organizations lies in it (a
          regional program's item that a school of the municipality carries out).
        """
        municipality = getattr(scope, "municipality", None)
        region = getattr(scope, "region", None)
        if municipality is None and region is None:
            return self
        # A municipal program has its region too, so a region's scope takes it in.
        key, territory = ("municipality", municipality) if municipality else ("region", region)
        wide = Q(roadmap__level__in=[Roadmap.Level.PROGRAM, Roadmap.Level.MUNICIPAL])
        # The few items of wide roadmaps carried out here are fetched first (one query): an OR
        # with a subquery would keep the database from the indexes of the other conditions.
        carried_out_here = list(
            self.filter(wide)
            .filter(
                pk__in=ItemExecution.objects.filter(**{f"organization__{key}": territory}).values(
                    "item"
                )
            )
            .values_list("pk", flat=True)
        )
        here = (
            Q(**{f"roadmap__organization__{key}": territory})
            | Q(**{f"roadmap__pair__supported_school__{key}": territory})
            | wide & Q(**{f"roadmap__program__{key}": territory})
        )
        if carried_out_here:
            here |= Q(pk__in=carried_out_here)
        return self.filter(here)

    def by_school_territory(self, key):
        """These items as `values(territory=…)` for a grouped `annotate`, `territory` being the
        region or municipality (`key`: "region" or "municipality") of the school the item's
        roadmap belongs to: its own organization's, else its pair's supported school's — the
        first two conditions of `in_scope`, which place each such item in one territory. Items
        of the program's and municipalities' own roadmaps that name no organization get None:
        `in_scope` places them by the program's territory and by who carries them out, which
        may be several territories at once, so they are counted on their own."""
        return self.values(
            territory=Coalesce(
                F(f"roadmap__organization__{key}"), F(f"roadmap__pair__supported_school__{key}")
            )
        )


class ItemExecutionQuerySet(models.QuerySet):
    def completion(self, now=None, programs=None):
        """The completion counts of these executions, each organization's own state counted as
        `RoadmapItemQuerySet.completion` counts items (late: its own part still open after the
        item's deadline, in the program region's date)."""
        return with_share(self.aggregate(**self.completion_annotations(now, programs)))

    @staticmethod
    def completion_annotations(now=None, programs=None):
        """`completion_annotations` for executions, for a grouped `values(...).annotate(...)`
        (the table by responsible organization)."""
        return completion_annotations(now, programs=programs, item="item", status="status")


class ItemExecution(models.Model):
    """One responsible organization's execution of an item (исполнение мероприятия
    ответственным): its own state and the day it was done. A program-wide item carried out by
    several schools is done when each has done its part (`RoadmapItem.derive_status`)."""

    item = models.ForeignKey(
        "RoadmapItem", models.CASCADE, related_name="executions", verbose_name="мероприятие"
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="executions", verbose_name="организация"
    )
    status = models.CharField(
        "состояние",
        max_length=16,
        choices=ItemStatus.choices,
        default=ItemStatus.PLANNED,
    )
    completed_on = models.DateField("выполнено", null=True, blank=True)

    objects = ItemExecutionQuerySet.as_manager()

    class Meta:
        verbose_name = "исполнение мероприятия"
        verbose_name_plural = "исполнение мероприятий"
        ordering = ["item", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organization"],
                name="execution_unique",
                violation_error_message="Эта организация уже указана ответственной.",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="done"),
                name="execution_completed_only_when_done",
                violation_error_message="Дата выполнения указывается только у выполненного.",
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.get_status_display()}"

    def set_status(self, status, today=None):
        """Set this organization's state (the day it was done as `RoadmapItem.set_status`
        keeps it) and the item's, derived from all executions; the caller saves the item."""
        self.status = status
        self.completed_on = done_on(status, self.completed_on, today, self.item)
        self.save()
        self.item.derive_status()


def done_on(status, completed_on, today, item):
    """The day something done was done: the day given before, else `today`, else today in the
    item's program region's date; nothing for anything not done."""
    if status != ItemStatus.DONE:
        return None
    return completed_on or today or item.roadmap.program.local_today()


@receiver(m2m_changed, sender=ItemExecution)
def _new_executions_take_the_item_state(sender, instance, action, pk_set, **kwargs):
    """An organization named responsible later starts from the item's state, so that naming
    the responsible of an item entered with its state changes no figure. (An execution added
    with a state of its own, `through_defaults`, keeps it.)"""
    if action == "post_add" and pk_set and isinstance(instance, RoadmapItem):
        ItemExecution.objects.filter(
            item=instance,
            organization__in=pk_set,
            status=ItemStatus.PLANNED,
            completed_on__isnull=True,
        ).update(status=instance.status, completed_on=instance.completed_on)


class RoadmapItem(RevisionedModel):
    """One item of a roadmap (мероприятие): what, by when, who, and what shows it is done."""

    Status = ItemStatus

    # Items in these states can no longer be late.
    CLOSED = CLOSED

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
        through=ItemExecution,
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
    # When the row last changed: the read API's `changed_since` (a queryset `.update()` of
    # these rows sets it itself).
    updated_at = models.DateTimeField("изменено", auto_now=True, db_index=True)

    # The moment of a change is the history record's own; the stamp would only repeat it.
    history = HistoricalRecords(m2m_fields=[responsible], excluded_fields=["updated_at"])
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
        indexes = [
            # Late and due-soon items are open ones by deadline: the home page of every user and
            # the dashboards look them up, and most items of a running program are closed.
            models.Index(
                fields=["due_on", "roadmap"],
                condition=~Q(status__in=["done", "cancelled"]),
                name="item_open_by_due",
            ),
            # The program's item list shows its roadmaps by title and each one's items in their
            # order, 50 a page: with this and `roadmap_by_title` the database reads the first
            # 50 in order instead of sorting every item.
            models.Index(fields=["roadmap", "order", "id"], name="item_in_order"),
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
        self.completed_on = done_on(status, self.completed_on, today, self)

    def set_status_for_all(self, status, today=None):
        """Set the state of the whole item: every responsible organization's execution takes it
        (a coordinator's decision for the item). Saves the executions; the item is saved by the
        caller."""
        self.set_status(status, today)
        self.executions.update(status=self.status, completed_on=self.completed_on)

    def derive_status(self, executions=None):
        """The item's state from its responsible organizations' executions, when it has any:
        - executions that are cancelled are left out (that organization's part was dropped);
          when every one is cancelled, the item is cancelled;
        - when every remaining one is done, the item is done, on the day the last was done;
        - when one of them is not done («не выполнено»), the item is not done;
        - when one is done or under way, the item is under way («выполняется»);
        - else it is planned.
        An item without responsible organizations keeps the state set on it."""
        executions = list(self.executions.all() if executions is None else executions)
        if not executions:
            return
        Status = self.Status
        states = [e.status for e in executions if e.status != Status.CANCELLED]
        if not states:
            status = Status.CANCELLED
        elif all(state == Status.DONE for state in states):
            status = Status.DONE
        elif Status.NOT_DONE in states:
            status = Status.NOT_DONE
        elif Status.DONE in states or Status.IN_PROGRESS in states:
            status = Status.IN_PROGRESS
        else:
            status = Status.PLANNED
        self.status = status
        self.completed_on = (
            max((e.completed_on for e in executions if e.completed_on), default=None)
            if status == Status.DONE
            else None
        )
        if status == Status.DONE and self.completed_on is None:
            self.completed_on = self.roadmap.program.local_today()

    def is_late(self, now=None):
        """«Просрочено»: open (neither done nor cancelled) with its deadline before today in
        the program region's date — the rule of `RoadmapItemQuerySet.late` for one item."""
        return self.days_late(now) > 0

    @property
    def status_seen(self):
        """The state that counts where the item was fetched: its school's own part when the
        queryset said whose (`RoadmapItemQuerySet.as_seen_by`), else the item's own."""
        return getattr(self, "own_status", self.status)

    def get_status_seen_display(self):
        return self.Status(self.status_seen).label

    def days_late(self, now=None):
        """Days past the deadline of an open item (0 when it is not late), by the state that
        counts where it was fetched (`status_seen`)."""
        if self.status_seen in self.CLOSED or self.due_on is None:
            return 0
        return max((self.roadmap.program.local_today(now) - self.due_on).days, 0)
