"""`python manage.py send_notifications`: one due round, then the e-mail of what waits.

Safe to run every few minutes from cron or a systemd timer, and in several processes at once:
notices are unique per occasion and each e-mail is claimed before it is sent (see README). It
takes the lock of the workers' periodic round, so a round from cron never runs beside one of
theirs."""

from django.core.management.base import BaseCommand

from core.periodic import exclusive
from notices.service import run_round


class Command(BaseCommand):
    help = "Находит уведомления, которые пора отправить, и рассылает письма."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-mail", action="store_true", help="Только создать уведомления, письма не слать"
        )

    def handle(self, *args, no_mail=False, **options):
        with exclusive("periodic:notification_round") as taken:
            if not taken:
                self.stdout.write("Предыдущий круг уведомлений ещё идёт; этот пропущен.")
                return
            created, sent, failed = run_round(mail=not no_mail)
        self.stdout.write(
            f"Новых уведомлений: {created}; писем отправлено: {sent}; не отправлено: {failed}."
        )
