"""Expertise of schools' documents and the bank of good practice.

Expertise (экспертиза, взаимоэкспертиза): a coordinator assigns reviewers to a submitted document
in a round; each reviewer fills a sheet of the program's criteria with scores and a verdict; when
every sheet of the document's current version is decided, the document's status follows from
them. A reviewer is also a `programs.Review` of the document, which is what lets them see it.

The bank (банк лучших практик): practice cards of schools, the schools that adopted them, and
contests whose winners enter the bank.
"""

from datetime import timedelta
from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.access import access_rule, any_of, reach
from programs.models import CuratorPair, Document, Participant, Program, Review
from schools.models import Membership, Organization, RiskFactor

# The concept documents that expertise is about («концептуальные документы»).
CONCEPT_KINDS = (
    Document.Kind.DEVELOPMENT_CONCEPT,
    Document.Kind.MEDIUM_TERM_PROGRAM,
    Document.Kind.ANTI_RISK_PROGRAM,
)

# The default checklist of each kind, offered to a program that has not written its own: the
# parameters the orders name for a concept document (обоснованность, связь с рисками,
# измеримость результатов, реалистичность сроков, ресурсы).
DEFAULT_CRITERIA = {
    Document.Kind.DEVELOPMENT_CONCEPT: [
        ("Анализ текущего состояния школы опирается на данные", 3),
        ("Цели и задачи связаны с выявленными проблемами", 3),
        ("Ожидаемые результаты измеримы", 3),
        ("Механизмы реализации и ресурсы описаны", 3),
    ],
    Document.Kind.MEDIUM_TERM_PROGRAM: [
        ("Программа опирается на рисковый профиль школы", 3),
        ("Мероприятия имеют сроки и ответственных", 3),
        ("Показатели и целевые значения указаны", 3),
        ("Программа согласована с концепцией развития", 3),
    ],
    Document.Kind.ANTI_RISK_PROGRAM: [
        ("Фактор риска описан на данных школы", 3),
        ("Меры направлены на снижение этого фактора", 3),
        ("Для каждой меры указан показатель результата", 3),
        ("Сроки и ответственные реалистичны", 3),
    ],
}
GENERIC_CRITERIA = [
    ("Документ соответствует требованиям программы", 3),
    ("Содержание полное и обоснованное", 3),
]


def documents_assignable_by(user):
    """Documents to which the user may assign reviewers: the program's coordinators and the
    coordinators of the school's territory, among the documents they see."""
    r = reach(user)
    if r.is_admin:
        return Document.objects.all()
    return Document.objects.visible_to(user).filter(
        any_of(
            r.territory("organization__region", "organization__municipality", coordinator=True),
            Q(program__in=Program.objects.editable_by(user)),
        )
    )


class CriterionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))


class Criterion(models.Model):
    """One criterion of a program's expertise checklist for a kind of document, with the most
    points a reviewer may give."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="criteria", verbose_name="программа"
    )
    kind = models.CharField("вид документа", max_length=32, choices=Document.Kind.choices)
    title = models.CharField("критерий", max_length=500)
    max_score = models.PositiveSmallIntegerField(
        "наибольший балл", default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = "критерий экспертизы"
        verbose_name_plural = "критерии экспертизы"
        ordering = ["program", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gte=1),
                name="criterion_max_score_positive",
                violation_error_message="Наибольший балл должен быть не меньше 1.",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def ensure_defaults(cls, program, kind):
        """The program's criteria for `kind`, created from the default set when it has none."""
        existing = cls.objects.filter(program=program, kind=kind).order_by("order", "pk")
        if existing.exists():
            return list(existing)
        defaults = DEFAULT_CRITERIA.get(kind, GENERIC_CRITERIA)
        return cls.objects.bulk_create(
            [
                cls(program=program, kind=kind, title=title, max_score=score, order=order)
                for order, (title, score) in enumerate(defaults, start=1)
            ]
        )


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))


class ExpertiseRound(models.Model):
    """A round of expertise in a program («экспертиза в рамках мониторинга 1 этапа»,
    «взаимоэкспертиза, сентябрь»): the reviewers' deadline, and whether two schools may review
    each other in it."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="expertise_rounds", verbose_name="программа"
    )
    title = models.CharField("название", max_length=300)
    due_on = models.DateField("срок экспертизы", null=True, blank=True)
    allow_reciprocal = models.BooleanField(
        "разрешить взаимную экспертизу в обе стороны",
        default=False,
        help_text="Обычно две школы не проверяют друг друга в одном туре",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "тур экспертизы"
        verbose_name_plural = "туры экспертизы"
        ordering = ["program", "-due_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "title"],
                name="expertiseround_unique_title",
                violation_error_message="В программе уже есть тур с таким названием.",
            ),
        ]

    def __str__(self):
        return self.title


class AssignmentQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Sheets of documents the user sees: the school sees the result of its documents'
        expertise, a reviewer their own sheets."""
        return self.filter(review__document__in=Document.objects.visible_to(user))

    @access_rule
    def fillable_by(self, user):
        """Sheets the user fills in: their own, while the document awaits the verdict on the
        version they were given."""
        r = reach(user)
        return self.filter(
            review__reviewer_id=r.user_id,
            review__document__status=Document.Status.SUBMITTED,
            version=F("review__document__version"),
        )

    def pending(self):
        return self.filter(verdict=Assignment.Verdict.PENDING)

    def overdue(self, now=None, programs=None):
        """Sheets overdue at the moment `now` (`Assignment.is_overdue`): undecided after their
        deadline, in the date of their program's region (`Program.local_today`). `programs`:
        the programs the sheets belong to, all by default (one query)."""
        if programs is None:
            dates = Program.objects.local_dates(now)
        else:
            dates = Program.group_by_local_date(programs, now)
        late = [
            Q(review__document__program__in=ids, due_on__lt=today) for today, ids in dates.items()
        ]
        return self.pending().filter(reduce(or_, late, Q(pk__in=[])))

    def due_within(self, today, days):
        """Undecided sheets due within `days` of `today`, or late: what the notification
        round reminds their reviewers of (notices.rounds)."""
        return self.pending().filter(due_on__lte=today + timedelta(days=days))


class Assignment(models.Model):
    """One reviewer's expertise sheet of one version of a document (экспертный лист): the
    criteria scores, the verdict and the comment."""

    class Role(models.TextChoices):
        EXPERT = "expert", "эксперт"
        CURATOR = "curator", "куратор пары"
        MUTUAL = "mutual", "взаимоэкспертиза"

    class Verdict(models.TextChoices):
        PENDING = "pending", "ожидает"
        PASSED = "passed", "соответствует"
        REVISION = "revision", "на доработку"

    review = models.ForeignKey(
        Review, models.CASCADE, related_name="assignments", verbose_name="эксперт документа"
    )
    round = models.ForeignKey(
        ExpertiseRound, models.PROTECT, related_name="assignments", verbose_name="тур"
    )
    role = models.CharField("кто проверяет", max_length=16, choices=Role.choices)
    # The document's school and the reviewer's organization, kept on the row so that the
    # database itself refuses a school reviewing its own document.
    school = models.ForeignKey(
        Organization, models.PROTECT, related_name="+", verbose_name="школа документа"
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="expertise_assignments",
        verbose_name="организация эксперта",
    )
    version = models.PositiveIntegerField("версия документа")
    due_on = models.DateField("срок", null=True, blank=True)
    verdict = models.CharField(
        "заключение", max_length=16, choices=Verdict.choices, default=Verdict.PENDING
    )
    comment = models.TextField("комментарий", blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="назначил",
    )
    assigned_at = models.DateTimeField("назначена", default=timezone.now)
    decided_at = models.DateTimeField("дата заключения", null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "экспертный лист"
        verbose_name_plural = "экспертные листы"
        ordering = ["review__document", "-version", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "version"],
                name="assignment_one_sheet_per_version",
                violation_error_message="Этот эксперт уже назначен на эту версию документа.",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=True) | ~Q(organization=F("school")),
                name="assignment_not_own_school",
                violation_error_message="Школа не может проводить экспертизу своего документа.",
            ),
            models.CheckConstraint(
                condition=Q(verdict="pending") | Q(decided_at__isnull=False),
                name="assignment_decided_has_date",
                violation_error_message="У заключения должна быть дата.",
            ),
        ]

    def __str__(self):
        return f"{self.review.document}, версия {self.version}: {self.get_verdict_display()}"

    def get_absolute_url(self):
        return reverse("expertise:sheet", args=[self.pk])

    @property
    def document(self):
        return self.review.document

    @property
    def reviewer(self):
        return self.review.reviewer

    @property
    def is_decided(self):
        return self.verdict != self.Verdict.PENDING

    def is_overdue_on(self, today):
        """An expertise sheet is overdue when it is still undecided after its deadline;
        `today` is the date of the program's region (`is_overdue`)."""
        return not self.is_decided and self.due_on is not None and self.due_on < today

    @property
    def is_overdue(self):
        """Overdue today in the program region's date (`Program.local_today`), as every page,
        notice and count of overdue sheets says (`AssignmentQuerySet.overdue`)."""
        return self.is_overdue_on(self.review.document.program.local_today())

    def clean(self):
        """The assignment rules: never the school's own people or organization (nor its parent
        or branches); a curator is the curator school of the school's pair in the program; a
        mutual review is by another school of the program, and not both ways between two
        schools in one round unless the round allows it."""
        if not (self.review_id and self.round_id and self.school_id):
            return
        document = self.review.document
        if self.round.program_id != document.program_id:
            raise ValidationError({"round": "Тур из другой программы."})
        own = own_organizations(self.school)
        if Membership.objects.filter(
            user_id=self.review.reviewer_id, organization__in=own
        ).exists():
            raise ValidationError(
                {"review": "Сотрудник школы не может проводить экспертизу её документа."}
            )
        if self.organization_id in own:
            raise ValidationError(
                {"organization": "Школа не может проводить экспертизу своего документа."}
            )
        if self.role == self.Role.CURATOR:
            curators = CuratorPair.objects.filter(
                program_id=document.program_id, supported_school=self.school
            ).values_list("curator_school_id", flat=True)
            if self.organization_id is None or self.organization_id not in set(curators):
                raise ValidationError(
                    {"organization": "Куратор пары — это школа-куратор этой школы в программе."}
                )
        if self.role == self.Role.MUTUAL:
            self._check_mutual(document)

    def _check_mutual(self, document):
        program_schools = Participant.objects.filter(
            program_id=document.program_id, organization__kind=Organization.Kind.SCHOOL
        ).values_list("organization_id", flat=True)
        if self.organization_id is None or self.organization_id not in set(program_schools):
            raise ValidationError(
                {"organization": "Взаимоэкспертизу проводит другая школа — участник программы."}
            )
        if self.round.allow_reciprocal:
            return
        reverse_exists = (
            Assignment.objects.filter(
                round_id=self.round_id,
                role=self.Role.MUTUAL,
                organization_id=self.school_id,
                school_id=self.organization_id,
            )
            .exclude(pk=self.pk)
            .exists()
        )
        if reverse_exists:
            raise ValidationError(
                {
                    "organization": (
                        f"«{self.school}» уже проверяет документ «{self.organization}» в этом "
                        "туре: взаимоэкспертиза в обе стороны не допускается, если координатор "
                        "не разрешил её в настройках тура."
                    )
                }
            )


def own_organizations(school):
    """The school with its parent and branches: what counts as "the school's own"."""
    ids = {school.pk}
    if school.parent_id:
        ids.add(school.parent_id)
    ids.update(Organization.objects.filter(parent_id__in=ids).values_list("pk", flat=True))
    return ids


class Score(models.Model):
    """The points one sheet gives for one criterion, with a remark."""

    assignment = models.ForeignKey(
        Assignment, models.CASCADE, related_name="scores", verbose_name="экспертный лист"
    )
    criterion = models.ForeignKey(
        Criterion, models.PROTECT, related_name="scores", verbose_name="критерий"
    )
    score = models.PositiveSmallIntegerField("балл", null=True, blank=True)
    remark = models.CharField("замечание", max_length=1000, blank=True)

    class Meta:
        verbose_name = "балл по критерию"
        verbose_name_plural = "баллы по критериям"
        ordering = ["assignment", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"],
                name="score_one_per_criterion",
                violation_error_message="Балл по этому критерию уже выставлен.",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"

    def clean(self):
        if self.score is not None and self.criterion_id and self.score > self.criterion.max_score:
            raise ValidationError(
                {"score": f"Балл не может быть больше {self.criterion.max_score}."}
            )


class PassThreshold(models.Model):
    """The order's threshold for the share of participants whose documents passed expertise
    («не менее чем у 80 % ОО-участников концептуальные документы соответствуют параметрам
    экспертизы»). An empty kind means all concept documents."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="pass_thresholds", verbose_name="программа"
    )
    kind = models.CharField(
        "вид документа",
        max_length=32,
        choices=Document.Kind.choices,
        blank=True,
        help_text="Пусто — все концептуальные документы",
    )
    share = models.DecimalField(
        "не менее, %",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    wording = models.CharField("как в приказе", max_length=500, blank=True)

    class Meta:
        verbose_name = "порог экспертизы"
        verbose_name_plural = "пороги экспертизы"
        ordering = ["program", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind"],
                name="passthreshold_unique_kind",
                violation_error_message="Порог для этого вида документов уже задан.",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100),
                name="passthreshold_share_range",
                violation_error_message="Порог — процент от 0 до 100.",
            ),
        ]

    def __str__(self):
        return f"{self.kind_label}: не менее {self.share} %"

    @property
    def kind_label(self):
        return self.get_kind_display() if self.kind else "концептуальные документы"


# The bank of good practice.


class Subject(models.Model):
    """A school subject or area a practice addresses (математика, русский язык, воспитание…)."""

    name = models.CharField("предмет, направление", max_length=200, unique=True)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class PracticeQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Practices in the bank to every signed-in user; cards not yet in it (a contest
        submission, a draft) to those who see the author school, and the works of a contest to
        its jury, who score them from wherever they work."""
        r = reach(user)
        if r.user_id is None:
            return self.none()
        judged = Submission.objects.filter(contest__jury=r.user_id).values("practice")
        return self.filter(
            Q(in_bank=True) | r.sees_organization("author_school") | Q(pk__in=judged)
        )

    @access_rule
    def editable_by(self, user):
        """The author school's staff and the coordinators of its territory."""
        r = reach(user)
        return self.filter(r.changes_school_data("author_school"))

    def public(self):
        """What the public bank shows: practices in the bank whose author chose to publish."""
        return self.filter(in_bank=True, is_public=True)


def practice_upload_to(instance, filename):
    return f"practices/{instance.practice_id}/{filename}"


class Practice(models.Model):
    """A card of good practice (методическая разработка, кейс): what a school did against which
    risks, in which subjects, and which schools adopted it."""

    title = models.CharField("название", max_length=500)
    author_school = models.ForeignKey(
        Organization, models.PROTECT, related_name="practices", verbose_name="школа-автор"
    )
    program = models.ForeignKey(
        Program,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name="программа",
        help_text="Программа, в которой практика сложилась; её показатели сравниваются",
    )
    risk_factors = models.ManyToManyField(
        RiskFactor, blank=True, related_name="practices", verbose_name="факторы риска"
    )
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="practices", verbose_name="предметы"
    )
    description = models.TextField("описание")
    is_public = models.BooleanField(
        "публиковать открыто", default=False, help_text="Видна на открытой странице банка"
    )
    in_bank = models.BooleanField("в банке лучших практик", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="автор карточки",
    )
    created_at = models.DateTimeField("создана", default=timezone.now)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = "практика"
        verbose_name_plural = "практики"
        ordering = ["-created_at", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("expertise:practice", args=[self.pk])


class PracticeFile(models.Model):
    """A file of a practice card (презентация, конспект, положение)."""

    practice = models.ForeignKey(
        Practice, models.CASCADE, related_name="files", verbose_name="практика"
    )
    file = models.FileField("файл", upload_to=practice_upload_to)
    original_name = models.CharField("имя файла", max_length=300)
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "файл практики"
        verbose_name_plural = "файлы практик"
        ordering = ["practice", "uploaded_at"]

    def __str__(self):
        return self.original_name


class Adoption(models.Model):
    """A school that took a practice into its work, and since when: the date that splits its
    indicator values into before and after."""

    practice = models.ForeignKey(
        Practice, models.CASCADE, related_name="adoptions", verbose_name="практика"
    )
    school = models.ForeignKey(
        Organization, models.PROTECT, related_name="adopted_practices", verbose_name="школа"
    )
    adopted_on = models.DateField("внедрена с")
    note = models.CharField("примечание", max_length=500, blank=True)

    class Meta:
        verbose_name = "внедрение практики"
        verbose_name_plural = "внедрения практик"
        ordering = ["practice", "adopted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "school"],
                name="adoption_unique_school",
                violation_error_message="Эта школа уже внедрила практику.",
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.practice}"


class ContestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(program__in=Program.objects.editable_by(user))


class Contest(models.Model):
    """A contest of methodical cases («Панорама методических кейсов»): practices submitted,
    scored by a jury; the winners go to the bank."""

    program = models.ForeignKey(
        Program, models.CASCADE, related_name="contests", verbose_name="программа"
    )
    title = models.CharField("название", max_length=500)
    description = models.TextField("условия", blank=True)
    submissions_until = models.DateField("приём работ до", null=True, blank=True)
    jury = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="juries", verbose_name="жюри"
    )
    max_score = models.PositiveSmallIntegerField(
        "наибольший балл жюри", default=10, validators=[MinValueValidator(1)]
    )

    objects = ContestQuerySet.as_manager()

    class Meta:
        verbose_name = "конкурс"
        verbose_name_plural = "конкурсы"
        ordering = ["program", "-submissions_until", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("expertise:contest", args=[self.pk])

    def accepts_submissions(self, today=None):
        """Works are taken until the day named, inclusive; with no day, always."""
        today = today or timezone.localdate()
        return self.submissions_until is None or today <= self.submissions_until


class SubmissionQuerySet(models.QuerySet):
    def scorable_by(self, user):
        """Works the user may score: those of contests whose jury they sit on, except the works
        of a school where they work (with its parent and branches) — nobody judges their own
        school, as in document expertise."""
        own = Membership.objects.filter(user=user).values("organization")
        return self.filter(contest__jury=user).exclude(
            Q(practice__author_school__in=own)
            | Q(practice__author_school__parent__in=own)
            | Q(practice__author_school__branches__in=own)
        )


class Submission(models.Model):
    """A practice entered in a contest, and whether it won."""

    contest = models.ForeignKey(
        Contest, models.CASCADE, related_name="submissions", verbose_name="конкурс"
    )
    practice = models.ForeignKey(
        Practice, models.CASCADE, related_name="submissions", verbose_name="практика"
    )
    submitted_at = models.DateTimeField("подана", default=timezone.now)
    is_winner = models.BooleanField("победитель", default=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "конкурсная работа"
        verbose_name_plural = "конкурсные работы"
        ordering = ["contest", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "practice"],
                name="submission_unique_practice",
                violation_error_message="Эта практика уже подана на конкурс.",
            ),
        ]

    def __str__(self):
        return f"{self.contest}: {self.practice}"

    def declare_winner(self):
        """A winner's practice enters the bank."""
        self.is_winner = True
        self.save(update_fields=["is_winner"])
        if not self.practice.in_bank:
            self.practice.in_bank = True
            self.practice.save(update_fields=["in_bank"])


class JuryScore(models.Model):
    """One juror's score of one submission."""

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="jury_scores", verbose_name="конкурсная работа"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="член жюри"
    )
    score = models.PositiveSmallIntegerField("балл")
    comment = models.CharField("комментарий", max_length=1000, blank=True)

    class Meta:
        verbose_name = "оценка жюри"
        verbose_name_plural = "оценки жюри"
        ordering = ["submission", "juror"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "juror"],
                name="juryscore_one_per_juror",
                violation_error_message="Этот член жюри уже оценил работу.",
            ),
        ]

    def __str__(self):
        return f"{self.submission}: {self.score}"

    def clean(self):
        if (
            self.submission_id
            and self.juror_id
            and not Submission.objects.scorable_by(self.juror)
            .filter(pk=self.submission_id)
            .exists()
        ):
            raise ValidationError(
                {"juror": "Член жюри не оценивает работы своей школы и конкурсов вне своего жюри."}
            )
        if self.submission_id and self.score is not None:
            top = self.submission.contest.max_score
            if self.score > top:
                raise ValidationError({"score": f"Балл не может быть больше {top}."})
