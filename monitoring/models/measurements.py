"""Measurements: the values schools enter, and how far a school's sheet is."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.access import NOTHING, access_rule, any_of, reach
from core.changes import VALUE_FIGURES
from core.revisions import RevisionedModel
from programs.models import Curator, Program
from schools.models import Organization

from .indicators import Indicator
from .points import MonitoringPoint
from .targets import Target


def counted_condition():
    """`MeasurementQuerySet.counted` as a condition, for counts and averages filtered inside
    one grouped query (`Count(..., filter=counted_condition())`)."""
    return Q(status__in=Measurement.COUNTED, value__isnull=False)


class MeasurementQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Values of organizations the user sees; program-wide values (no organization) to
        those who see the program's territory."""
        return self._in_visible_programs(user).filter(self._seeing(user))

    def _in_visible_programs(self, user):
        return self.filter(point__program__in=Program.objects.visible_to(user))

    def _seeing(self, user):
        r = reach(user)
        return any_of(
            r.sees_organization("organization"),
            Q(organization__isnull=True)
            & r.territory("point__program__region", "point__program__municipality"),
        )

    @access_rule
    def editable_by(self, user):
        """Values the user may enter: the school's staff and coordinators of its territory. The
        point's deadline is checked by `MonitoringPoint.values_changeable_by`, the approval
        lock by `Measurement.is_locked`. Never more than the user sees."""
        r = reach(user)
        return self.visible_to(user).filter(
            any_of(
                r.changes_school_data("organization"),
                Q(organization__isnull=True)
                & Q(point__program__in=Program.objects.editable_by(user)),
            )
        )

    def counted(self):
        """The values that count for a figure (average, dynamics, target met, change since the
        baseline): approved ones (утверждённые), as a ministry reports them. Drafts, values
        waiting for approval and returned ones count only in the completeness of a point.
        Every dashboard, chart, report, export and the school page reads its figures from here."""
        return self.filter(counted_condition())

    def with_target(self):
        """Each value with the target that applies to it (`TargetQuerySet.pick`, read in the
        database): `target_value`, `target_comparison`, and `meets_target` (True, False, or
        None without a target)."""
        applying = Target.objects.applying(
            models.OuterRef("indicator"), models.OuterRef("point"), models.OuterRef("organization")
        )
        value, cmp = models.F("target_value"), Target.Comparison
        return self.annotate(
            target_value=models.Subquery(applying.values("value")[:1]),
            target_comparison=models.Subquery(applying.values("comparison")[:1]),
        ).annotate(
            meets_target=models.Case(
                models.When(Q(target_value__isnull=True) | Q(value__isnull=True), then=None),
                models.When(
                    Q(target_comparison=cmp.GE, value__gte=value)
                    | Q(target_comparison=cmp.LE, value__lte=value)
                    | Q(target_comparison=cmp.EQ, value=value),
                    then=models.Value(True),
                ),
                default=models.Value(False),
                output_field=models.BooleanField(null=True),
            )
        )

    def changed_since_approval(self):
        """Values that were approved before and hold another value now: the school changed
        them after the approval (the history's last approved value differs). What an approver
        looks at first in a sheet sent again."""
        last_approved = (
            Measurement.history.filter(id=models.OuterRef("pk"), status=Measurement.Status.APPROVED)
            .order_by("-history_date", "-history_id")
            .values("value")[:1]
        )
        return (
            self.annotate(last_approved_value=models.Subquery(last_approved))
            .filter(last_approved_value__isnull=False)
            .exclude(last_approved_value=models.F("value"))
        )

    def approve_all(self, user, at=None):
        """`Measurement.approve` for a set, in one statement: every submitted, filled value
        among these is approved by `user` at `at`, its review comment cleared and its revision
        moved on (a form built before it is refused). Whoever entered a value never approves
        it. Returns how many. The caller narrows to `approvable_by(user)` and records the
        history of the set."""
        return (
            self.filter(status=Measurement.Status.SUBMITTED, value__isnull=False)
            .exclude(entered_by=user)
            .update(
                status=Measurement.Status.APPROVED,
                approved_by=user,
                approved_at=at or timezone.now(),
                review_comment="",
                revision=models.F("revision") + 1,
            )
        )

    def return_all(self, comment):
        """`Measurement.send_back` for a set, in one statement: every sent value among these
        (waiting or approved) goes back to the school with `comment`. Returns how many."""
        if not comment.strip():
            raise ValidationError("Укажите, что нужно исправить.")
        return self.filter(status__in=Measurement.SENT).update(
            status=Measurement.Status.RETURNED,
            review_comment=comment.strip(),
            approved_by=None,
            approved_at=None,
            revision=models.F("revision") + 1,
        )

    def awaiting_approval(self):
        return self.filter(status=Measurement.Status.SUBMITTED)

    def drafts_to_finish(self, user, today=None):
        """Values the user's own school saved as a draft (something typed) and has not
        submitted, at points still open for entry: on the school's home page as work to
        finish. Coordinators and curators may change or approve a school's values, but its
        drafts are the school's to send, never their to-do."""
        schools = reach(user).editor_schools
        if not schools:
            return self.none()
        return (
            self.visible_to(user)
            .filter(
                status=Measurement.Status.DRAFT,
                organization__in=schools,
                point__in=MonitoringPoint.objects.open_for_entry(today).values("pk"),
            )
            .filter(Q(value__isnull=False) | ~Q(comment=""))
        )

    def completeness(self, *by):
        """Per organization (and per the fields named in `by`, such as "point"): how many
        values are filled in, submitted, approved and returned, counted in the database (rows
        of `organization`, `filled`, `submitted`, `approved`, `returned`)."""
        status = Measurement.Status
        return (
            self.order_by()
            .values("organization", *by)
            .annotate(
                filled=models.Count("pk", filter=Q(value__isnull=False)),
                submitted=models.Count("pk", filter=Q(status=status.SUBMITTED)),
                approved=models.Count("pk", filter=Q(status=status.APPROVED)),
                returned=models.Count("pk", filter=Q(status=status.RETURNED)),
            )
        )

    def sheet_progress(self, points, schools):
        """{(point id, school id): SheetProgress} for every pair of `points` (fetched) and
        `schools` (ids): where each school's sheet stands among these values, against the
        number of indicators its program's schools enter. Two queries."""
        schools = list(schools)
        counts = {
            (row["point"], row["organization"]): row
            for row in self.filter(
                point__in=points,
                organization__in=schools,
                indicator__in=Indicator.objects.entered().of_schools(),
            ).completeness("point")
        }
        totals = dict(
            Indicator.objects.filter(program__in={point.program_id for point in points})
            .entered()
            .of_schools()
            .order_by()
            .values("program")
            .annotate(n=models.Count("pk"))
            .values_list("program", "n")
        )
        return {
            (point.pk, school): SheetProgress.of(
                counts.get((point.pk, school)), totals.get(point.program_id, 0)
            )
            for point in points
            for school in schools
        }

    @access_rule
    def approvable_by(self, user):
        """Values the user may approve or return: coordinators of the school's territory or of
        the program, and the curators the curator school (школа-куратор) appointed to the
        school's pair in that program, among the values they see (a national program's
        coordinator does not see every school). The supported school's own curator does not
        approve its values, and nobody approves a value they entered themselves."""
        r = reach(user)
        if not r.user_id:
            return self.none()
        return (
            self.visible_to(user)
            .filter(any_of(*self._approving(user)))
            .exclude(entered_by_id=r.user_id)
        )

    def approvable_parts(self, user):
        """`approvable_by(user)` as querysets whose union it is: one for each way of seeing a
        value (its school's territory, the school itself, a program-wide value) and each way of
        being allowed to approve it (the territory, the program, a pair), each a plain AND an
        index serves. What a capped count over a national program reads
        (`count_approvable_up_to`), instead of the ORs that make the database look at every
        waiting value of the country."""
        r = reach(user)
        if r.is_admin:
            return [self.all()]
        if not r.user_id:
            return []
        seen = self._in_visible_programs(user).exclude(entered_by_id=r.user_id)
        return [
            seen.filter(seeing).filter(way)
            for seeing in _alternatives(self._seeing(user))
            for way in _alternatives(any_of(*self._approving(user)))
        ]

    def _approvable_union(self, user):
        parts = [part.order_by().values("pk") for part in self.approvable_parts(user)]
        if not parts:
            return None
        return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]

    def approvable_in_parts(self, user):
        """The rows of `approvable_by(user)` among these, picked through the union of
        `approvable_parts`: what the coordinator's home groups by point and sheet. Up to
        `APPROVABLE_BY_KEY` of them are read first and looked up by key (one query more): as a
        subquery, the planner's guess of its size swings it between that and reading every
        waiting value of the country, five times slower for a region's coordinator."""
        union = self._approvable_union(user)
        if union is None:
            return self.none()
        found = [row["pk"] for row in union[: APPROVABLE_BY_KEY + 1]]
        if len(found) <= APPROVABLE_BY_KEY:
            return self.filter(pk__among=found) if found else self.none()
        return self.filter(pk__in=union)

    def count_approvable_up_to(self, user, limit):
        """How many of these values `user` may approve, counting no further than one past
        `limit` (`core.pagination.count_up_to`), the ways of being allowed read as a union."""
        union = self._approvable_union(user)
        return 0 if union is None else union[: limit + 1].count()

    def _approving(self, user):
        """The ways `user` may approve a value they see (see `approvable_by`), as conditions."""
        r = reach(user)
        curating = (
            models.Exists(
                Curator.objects.filter(
                    user_id=r.user_id,
                    organization=models.F("pair__curator_school"),
                    pair__supported_school=models.OuterRef("organization"),
                    pair__program=models.OuterRef("point__program"),
                )
            )
            if r.pairs
            else None
        )
        territory = r.territory(
            "organization__region", "organization__municipality", coordinator=True
        )
        return [
            way
            for way in (
                None if territory is NOTHING else territory,
                Q(point__program__in=Program.objects.editable_by(user)),
                Q(curating) if curating is not None else None,
            )
            if way is not None
        ]


def _alternatives(condition):
    """The conditions an OR is made of (those of nested ORs too); any other condition alone.
    An empty list for a condition nothing meets."""
    if condition is NOTHING:
        return []
    if condition.connector != Q.OR or condition.negated:
        return [condition]
    found = []
    for child in condition.children:
        found += _alternatives(child if isinstance(child, Q) else Q(child))
    return found


@dataclass(frozen=True)
class SheetProgress:
    """Where one school's data-entry sheet at one point stands: of the `total` indicators the
    school enters, how many values are filled in, submitted, approved and returned (the
    counts of `MeasurementQuerySet.completeness`)."""

    total: int
    filled: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0

    @classmethod
    def of(cls, counts, total):
        """From a row of `completeness()` (None when the school has entered nothing)."""
        counts = counts or {}
        names = ("filled", "submitted", "approved", "returned")
        return cls(total, **{name: counts.get(name, 0) for name in names})

    @property
    def sent(self):
        """Values the school has sent: waiting for a verdict, or approved."""
        return self.submitted + self.approved

    @property
    def complete(self):
        """Every value is sent: nothing is left for the school to do at this point — the rule of
        `MonitoringPoint.complete_schools`, read on this sheet's counts (`sheet_progress`)."""
        return bool(self.total) and self.sent == self.total

    @property
    def state(self):
        """The word for where the sheet stands, and its badge colour."""
        if self.total and self.approved == self.total:
            return "утверждено", "success"
        if self.complete:
            return "отправлено", "info"
        if self.returned:
            return "возвращено на доработку", "warning"
        if self.filled:
            return "заполняется", "secondary"
        return "не начато", "danger"


class Source(models.TextChoices):
    """Where a value came from."""

    ENTERED = "entered", "введено на портале"
    RESULTS = "results", "результаты оценочных процедур"


# How many values a coordinator may approve are looked up by key (`approvable_in_parts`);
# beyond, most of the table is theirs and reading it is the cheaper way.
APPROVABLE_BY_KEY = 20_000

# A value loaded without its state, or made in memory: which figures its save changes is unknown.
_UNKNOWN = object()


class Measurement(RevisionedModel):
    """One organization's value of one indicator at one point (значение показателя)."""

    Source = Source

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "отправлено"
        APPROVED = "approved", "утверждено"
        RETURNED = "returned", "возвращено на доработку"

    # Values the school has sent: waiting for a verdict, or approved. They count as submitted
    # in completeness figures, and an approver may return them.
    SENT = (Status.SUBMITTED, Status.APPROVED)
    # The states of values that count for a figure (`MeasurementQuerySet.counted`).
    COUNTED = (Status.APPROVED,)

    # A value is what a ministry reports: deleting its indicator or point never deletes it.
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="measurements", verbose_name="показатель"
    )
    point = models.ForeignKey(
        MonitoringPoint,
        models.PROTECT,
        related_name="measurements",
        verbose_name="точка мониторинга",
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name="организация",
        help_text="Пусто — значение программы в целом",
    )
    value = models.DecimalField("значение", max_digits=12, decimal_places=2, null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)
    status = models.CharField(
        "состояние", max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField("замечание проверяющего", blank=True)
    # No index on who entered or approved a value: nothing looks values up by them but a user's
    # deletion, rare, while an index on a column every draft and import changes makes each such
    # update write all the table's indexes (no HOT update): an import of 135,000 values took
    # half again as long.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="внёс",
        db_index=False,
    )
    submitted_at = models.DateTimeField("отправлено", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утвердил",
        db_index=False,
    )
    approved_at = models.DateTimeField("утверждено", null=True, blank=True)
    source = models.CharField(
        "источник", max_length=16, choices=Source.choices, default=Source.ENTERED
    )
    source_detail = models.CharField(
        "источник подробно", max_length=300, blank=True, help_text="Например, файл результатов"
    )

    # The history is read by value (`id`), by a school's sheet (`organization`) and by time;
    # the other keys' indexes only slowed every write of it. Its user is kept without a
    # database check: 135,000 checks at the commit of an import for one and the same person.
    history = HistoricalRecords(
        no_db_index=["indicator", "point", "entered_by", "approved_by"],
        user_db_constraint=False,
    )
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        ordering = ["point__date", "indicator__order", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "point", "organization"],
                condition=Q(organization__isnull=False),
                name="measurement_unique",
                violation_error_message="Значение этого показателя в этой точке для этой организации уже есть.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "point"],
                condition=Q(organization__isnull=True),
                name="measurement_unique_program",
                violation_error_message="Значение этого показателя программы в этой точке уже есть.",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(value__isnull=False),
                name="measurement_approved_has_value",
                violation_error_message="Утвердить можно только заполненное значение.",
            ),
        ]
        indexes = [
            # The values returned to schools, few among hundreds of thousands: every home page
            # lists those of its person. (A change of state is then no HOT update; saving a
            # draft and changing a value still are.)
            models.Index(
                fields=["point", "organization"],
                condition=Q(status="returned"),
                name="measurement_returned",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} @ {self.point}: {self.value}"

    @classmethod
    def from_db(cls, db, field_names, values):
        measurement = super().from_db(db, field_names, values)
        # The state as stored, so that a save knows which figures it changes.
        measurement._stored_status = measurement.__dict__.get("status", _UNKNOWN)
        return measurement

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored_status = self.status

    def figures_touched(self, *, created=False):
        """The kinds of dashboard figure (`core.changes.VALUE_FIGURES`) that writing this value
        changes: the indicators read the values that count (`COUNTED`), the completeness the
        values sent (`SENT`). A draft saved over a draft — most saves of a deadline week —
        changes neither; a deletion, those its stored state fed. Every kind when the stored state
        is not known."""
        stored = None if created else getattr(self, "_stored_status", _UNKNOWN)
        if stored is _UNKNOWN:
            return VALUE_FIGURES
        states = {stored, self.status}
        return tuple(
            kind
            for kind, statuses in (("indicators", self.COUNTED), ("completeness", self.SENT))
            if states & set(statuses)
        )

    @property
    def can_be_approved(self):
        return self.status == self.Status.SUBMITTED

    @property
    def can_be_returned(self):
        return self.status in self.SENT

    @property
    def is_locked(self):
        """An approved value is no longer changed by entry; an approver may return it."""
        return self.status == self.Status.APPROVED

    def submit(self, user, at=None):
        """Send the value for approval (отправить на проверку), as its school does from the
        data-entry sheet and a coordinator does by importing a file. Does not save."""
        if self.value is None:
            raise ValidationError("Заполните значение, чтобы отправить на проверку.")
        if self.is_locked:
            raise ValidationError("Значение уже утверждено.")
        self.status = self.Status.SUBMITTED
        self.submitted_at = at or timezone.now()

    def withdraw(self):
        """Take the value back to a draft (a school saved a draft over it); approval and the
        reviewer's comment of the earlier round no longer apply. Does not save. Returns whether
        it had been sent for approval, so that the school can be told."""
        was_sent = self.status == self.Status.SUBMITTED
        self.status = self.Status.DRAFT
        return was_sent

    def approve(self, user, comment=""):
        """Approve the submitted value (утвердить), keeping the approver's note as the review
        comment; the comment of an earlier return is replaced. Whoever entered the value never
        approves it. Does not save; who may approve is `MeasurementQuerySet.approvable_by`."""
        if not self.can_be_approved:
            raise ValidationError("Утвердить можно только отправленное на проверку значение.")
        if self.value is None:
            raise ValidationError("Утвердить можно только заполненное значение.")
        if user is not None and self.entered_by_id is not None and self.entered_by_id == user.pk:
            raise ValidationError("Значение утверждает не тот, кто его внёс.")
        self.status = self.Status.APPROVED
        self.approved_by = user
        self.approved_at = timezone.now()
        self.review_comment = comment

    def send_back(self, user, comment):
        """Return the value to the school with the reviewer's comment (вернуть на доработку).
        Does not save."""
        if not self.can_be_returned:
            raise ValidationError("Вернуть можно только отправленное или утверждённое значение.")
        if not comment.strip():
            raise ValidationError("Укажите, что нужно исправить.")
        self.status = self.Status.RETURNED
        self.review_comment = comment
        self.approved_by = None
        self.approved_at = None

    def clean(self):
        if (
            self.indicator_id
            and self.point_id
            and self.indicator.program_id != self.point.program_id
        ):
            raise ValidationError({"point": "Точка мониторинга из другой программы."})
        if self.indicator_id:
            try:
                self.indicator.check_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
