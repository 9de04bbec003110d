"""`manage.py check`: Django's, except that the production check (`core.checks`, tag
«production») runs only when asked by its tag: `check --deploy --tag production`."""

from django.core import checks
from django.core.management.commands.check import Command as DjangoCheckCommand

from core.checks import TAG


class Command(DjangoCheckCommand):
    def handle(self, *app_labels, **options):
        if not options.get("tags"):
            available = checks.registry.registry.tags_available(options.get("deploy", False))
            options["tags"] = sorted(set(available) - {TAG}) or None
        return super().handle(*app_labels, **options)
