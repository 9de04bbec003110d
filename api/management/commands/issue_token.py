"""manage.py issue_token USERNAME [--days N] [--name …]: issue an API token for a person, as
the settings page does; the token is the last word printed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.services import issue_token


class Command(BaseCommand):
    help = "Выпустить токен API для пользователя; токен — последнее слово вывода."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90, help="срок действия, дней")
        parser.add_argument("--name", default="выпущен командой issue_token")

    def handle(self, *args, username, days, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Нет действующего пользователя «{username}».")
        if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
            raise CommandError(f"Срок: от 1 до {settings.API_TOKEN_MAX_DAYS} дней.")
        token, raw = issue_token(user, name, days)
        self.stdout.write(f"Токен для {username} до {token.expires_at:%d.%m.%Y}, «{name}»: {raw}")
