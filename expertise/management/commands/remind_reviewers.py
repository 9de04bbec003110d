"""`python manage.py remind_reviewers`: an e-mail to each reviewer whose sheet is due within
three days or late, once a day.

Each sheet is claimed with a conditional update of `reminded_on` before its mail is sent, so two
runs at once (two servers, a retried cron) never remind twice. When the portal's notifications
arrive, this is the one place to send through them instead of e-mail."""

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from expertise.models import Assignment


class Command(BaseCommand):
    help = "Напоминает экспертам о сроках экспертных листов (за три дня и после срока)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="За сколько дней до срока.")
        parser.add_argument(
            "--base-url", default="", help="Адрес портала для ссылок, например https://portal.ru"
        )

    def handle(self, *args, days, base_url, **options):
        today = timezone.localdate()
        due = Assignment.objects.due_for_reminder(today, days).select_related(
            "review__reviewer", "review__document"
        )
        sent = 0
        for sheet in due:
            reviewer = sheet.review.reviewer
            if not reviewer.email:
                continue
            claimed = (
                Assignment.objects.filter(pk=sheet.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            late = sheet.due_on < today
            send_mail(
                f"{'Просрочена' if late else 'Срок'} экспертиза: {sheet.review.document.title}",
                (
                    f"Экспертный лист документа «{sheet.review.document.title}» "
                    f"{'нужно было заполнить' if late else 'нужно заполнить'} до "
                    f"{sheet.due_on:%d.%m.%Y}.\n{base_url}{reverse('expertise:sheet', args=[sheet.pk])}"
                ),
                None,
                [reviewer.email],
            )
            sent += 1
        self.stdout.write(f"Напоминаний отправлено: {sent}.")
