"""What the portal tells people: notifications kept in the portal and sent by e-mail, the
e-mail choices of each person, and the private addresses of their calendar feeds.

A notification is one row per (recipient, kind, subject, occasion), held unique by the
database: a round that finds the same due notice twice creates it once. Its e-mail goes out
through a claim (a conditional update of `email_state`), so two processes never send it twice.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.access import access_rule, any_of, reach


class Kind(models.TextChoices):
    """The kinds of notices; each person chooses which of them come by e-mail."""

    EVENT_INVITATION = "event_invitation", "Приглашение на событие"
    EVENT_REMINDER = "event_reminder", "Напоминание о событии (за 7 дней и за 1 день)"
    EVENT_CHANGED = "event_changed", "Событие перенесено или изменено"
    EVENT_CANCELLED = "event_cancelled", "Событие отменено"
    ITEM_DUE = "item_due", "Срок мероприятия дорожной карты (за 7 дней и за 1 день)"
    ITEM_LATE = "item_late", "Мероприятие дорожной карты просрочено"
    VALUES_SUBMITTED = "values_submitted", "Значения показателей отправлены на проверку"
    VALUES_WAITING = "values_waiting", "Значения ждут проверки больше 48 часов"
    VALUES_RETURNED = "values_returned", "Значения возвращены на доработку"
    VALUES_APPROVED = "values_approved", "Значения утверждены"
    DOCUMENT_SUBMITTED = "document_submitted", "Документ отправлен на проверку"
    DOCUMENT_WAITING = "document_waiting", "Документ ждёт проверки больше 48 часов"
    DOCUMENT_RETURNED = "document_returned", "Документ возвращён на доработку"
    DOCUMENT_APPROVED = "document_approved", "Документ одобрен"
    SHEET_DUE = "sheet_due", "Срок экспертного листа (за 3 дня и после срока)"
    POINT_OPEN = "point_open", "Открыт приём значений в точке мониторинга"
    POINT_DEADLINE = "point_deadline", "Приближается срок приёма значений"
    VALUES_REMINDER = "values_reminder", "Координатор напоминает отправить значения"
    QUESTION_ASKED = "question_asked", "Вопрос на консультационной линии"
    QUESTION_ANSWERED = "question_answered", "Ответ на ваш вопрос"
    DIGEST = "digest", "Еженедельная сводка координатора"


class NotificationQuerySet(models.QuerySet):
    def of(self, user):
        """A person's own notifications; nobody reads another's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mail_due(self, now=None):
        """Notices whose e-mail is waiting, and those whose claim is older than
        `Notification.CLAIM_TIMEOUT` (the process that claimed them died before it finished)."""
        now = now or timezone.now()
        return self.filter(
            Q(email_state=Notification.EmailState.PENDING)
            | Q(
                email_state=Notification.EmailState.SENDING,
                claimed_at__lt=now - Notification.CLAIM_TIMEOUT,
            )
        )


class Notification(models.Model):
    """One notice to one person about one thing (an event, an item, a point's values, a
    document) on one occasion («за 7 дней», the day a value was returned, a week's digest)."""

    class EmailState(models.TextChoices):
        PENDING = "pending", "ждёт отправки"
        SENDING = "sending", "отправляется"
        SENT = "sent", "отправлено"
        SKIPPED = "skipped", "не отправляется"

    CLAIM_TIMEOUT = timedelta(minutes=15)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name="получатель",
    )
    kind = models.CharField("вид", max_length=32, choices=Kind.choices)
    # The subject is a generic link so that a notice outlives the event it announced: a
    # cancellation is told after the event's row is gone.
    content_type = models.ForeignKey(
        ContentType, models.CASCADE, related_name="+", verbose_name="тип объекта"
    )
    object_id = models.PositiveBigIntegerField("объект")
    subject = GenericForeignKey("content_type", "object_id")
    occasion = models.CharField("повод", max_length=100, blank=True)
    # What the event or deadline looked like when told, to notice a later change.
    state = models.CharField("состояние объекта", max_length=200, blank=True)
    # When the thing happens (an event's start, a deadline): for cancellations and the list.
    happens_at = models.DateTimeField("когда", null=True, blank=True)
    title = models.CharField("заголовок", max_length=500)
    body = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)
    email_state = models.CharField(
        "письмо", max_length=16, choices=EmailState.choices, default=EmailState.PENDING
    )
    claimed_at = models.DateTimeField("взято на отправку", null=True, blank=True)
    sent_at = models.DateTimeField("письмо отправлено", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток отправки", default=0)
    last_error = models.TextField("ошибка отправки", blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "content_type", "object_id", "occasion"],
                name="notification_once_per_occasion",
                violation_error_message="Такое уведомление этому человеку уже есть.",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_state"], name="notification_mail_state"),
            # What a round asks first: which occasions of these subjects were told of, read by
            # the subjects asked, not by every notice of their kind ever stored.
            models.Index(fields=["content_type", "kind", "object_id"], name="notification_told"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_unread(self):
        return self.read_at is None


class EmailOptOut(models.Model):
    """A kind of notice a person does not want by e-mail; the portal's list keeps it anyway."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="email_opt_outs",
        verbose_name="пользователь",
    )
    kind = models.CharField("вид", max_length=32, choices=Kind.choices)

    class Meta:
        verbose_name = "отказ от писем"
        verbose_name_plural = "отказы от писем"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever holds the token reads that person's
    events and deadlines, so the person can renew it and the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feed",
        verbose_name="пользователь",
    )
    token = models.CharField("ключ", max_length=64, unique=True, default=new_feed_token)
    renewed_at = models.DateTimeField("выдан", default=timezone.now)

    class Meta:
        verbose_name = "адрес календаря"
        verbose_name_plural = "адреса календарей"

    def __str__(self):
        return f"Календарь {self.user}"

    @classmethod
    def of(cls, user):
        feed, _ = cls.objects.get_or_create(user=user)
        return feed

    def renew(self):
        self.token = new_feed_token()
        self.renewed_at = timezone.now()
        self.save(update_fields=["token", "renewed_at"])


def content_type_of(model):
    return ContentType.objects.get_for_model(model)


class InvitationQuerySet(models.QuerySet):
    @access_rule
    def visible_to(self, user):
        """Invitations to organizations whose record the user may change: coordinators see
        (and resend) those of their territory."""
        from schools.models import Organization

        return self.filter(organization__in=Organization.objects.editable_by(user))

    def not_signed_in(self):
        return self.filter(user__last_login__isnull=True)


class Invitation(models.Model):
    """A person a coordinator added to an organization of their territory (or as a pair's
    curator) by name and e-mail; the letter carries a link to set a password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="invitations",
        verbose_name="приглашённый",
    )
    organization = models.ForeignKey(
        "schools.Organization",
        models.CASCADE,
        related_name="invitations_sent",
        verbose_name="организация",
    )
    pair = models.ForeignKey(
        "programs.CuratorPair",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="куратор пары",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="пригласил",
    )
    created_at = models.DateTimeField("приглашён", default=timezone.now)
    sent_at = models.DateTimeField("письмо отправлено", null=True, blank=True)
    sent_count = models.PositiveSmallIntegerField("писем отправлено", default=0)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "приглашение"
        verbose_name_plural = "приглашения"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} — {self.organization}"


class ConsultationQuerySet(models.QuerySet):
    @access_rule
    def answerable_by(self, user):
        """Questions the user may answer: the program's coordinators, the staff of its operator
        (the methodical centre), and the curators of the asking school's pair in that program."""
        from django.db.models import F

        from programs.models import Program

        r = reach(user)
        return self.filter(program__in=Program.objects.visible_to(user)).filter(
            any_of(
                Q(program__in=Program.objects.editable_by(user)),
                Q(program__operator__in=r.organizations) if r.organizations else None,
                Q(
                    organization__supported_pairs__in=r.pairs,
                    organization__supported_pairs__program=F("program"),
                )
                if r.pairs
                else None,
            )
        )

    @access_rule
    def visible_to(self, user):
        """The asker's own questions and their school's, those the user may answer, and the
        program's published answers (FAQ) to whoever sees the program."""
        from programs.models import Program

        r = reach(user)
        return self.filter(program__in=Program.objects.visible_to(user)).filter(
            any_of(
                Q(asked_by_id=r.user_id) if r.user_id else None,
                Q(organization__in=r.schools) if r.schools else None,
                Q(is_faq=True, answered_at__isnull=False),
                Q(pk__in=self.model.objects.answerable_by(user).values("pk")),
            )
        )

    def faq(self):
        """Answered questions published as the program's FAQ."""
        return self.filter(is_faq=True, answered_at__isnull=False)

    def waiting(self):
        return self.filter(answered_at__isnull=True)


class Consultation(models.Model):
    """A question on the program's consultation line («консультационная линия», «горячая
    линия»): asked by a school or a curator on a topic or a roadmap item, answered by the
    program's operator or the pair's curator, and, once answered, publishable as FAQ."""

    program = models.ForeignKey(
        "programs.Program",
        models.CASCADE,
        related_name="consultations",
        verbose_name="программа",
    )
    item = models.ForeignKey(
        "roadmaps.RoadmapItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name="мероприятие дорожной карты",
    )
    topic = models.CharField("тема", max_length=300)
    question = models.TextField("вопрос")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="consultations_asked",
        verbose_name="спросил",
    )
    organization = models.ForeignKey(
        "schools.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name="от организации",
    )
    asked_at = models.DateTimeField("задан", default=timezone.now)
    answer = models.TextField("ответ", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations_answered",
        verbose_name="ответил",
    )
    answered_at = models.DateTimeField("ответ дан", null=True, blank=True)
    is_faq = models.BooleanField(
        "в частых вопросах", default=False, help_text="Показывать в частых вопросах программы"
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "вопрос консультационной линии"
        verbose_name_plural = "консультационная линия"
        ordering = ["-asked_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_faq=False) | Q(answered_at__isnull=False),
                name="consultation_faq_only_when_answered",
                violation_error_message="В частые вопросы попадает только вопрос с ответом.",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="consultation_answered_has_answer",
                violation_error_message="Ответ не может быть пустым.",
            ),
        ]

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notices:consultation", args=[self.pk])

    @property
    def is_answered(self):
        return self.answered_at is not None

    def give_answer(self, user, text):
        self.answer = text
        self.answered_by = user
        self.answered_at = timezone.now()
