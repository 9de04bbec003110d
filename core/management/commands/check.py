"""`manage.py check`: Django's, except that the production check (`core.checks`, tag
«production») runs only when asked by its tag: `check --deploy --tag production`."""

from django.core.checks.registry import registry
from django.core.management.commands.check import Command as DjangoCheckCommand

from core.checks import TAG, production_settings


class Command(DjangoCheckCommand):
    def handle(self, *app_labels, **options):
        if TAG in (options.get("tags") or []):
            return super().handle(*app_labels, **options)
        # Left out for this run only, every other check (tagged or not) runs as Django's does.
        registry.deployment_checks.discard(production_settings)
        try:
            return super().handle(*app_labels, **options)
        finally:
            registry.deployment_checks.add(production_settings)
