from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Общие механизмы портала"

    def ready(self):
        from django.views import debug, defaults

        # Registers the folding function on every new SQLite connection (core/search.py).
        from . import search  # noqa: F401

        # With DEBUG on (the default of `make run`), Django answers a missing page with its
        # technical page: the URL patterns and the settings module, shown to whoever mistyped
        # an address. The portal answers with its own page in every mode; the 403 page is the
        # portal's already, since Django renders `403.html` whatever DEBUG says.
        debug.technical_404_response = defaults.page_not_found

        from django.core.signals import request_finished

        from . import checks, logs, lookups  # noqa: F401  (checks: registers the production check)

        request_finished.connect(logs.clear, dispatch_uid="core.logs.clear")

        lookups.register()

        from django.db.models.signals import pre_save

        from .text import clean_names

        pre_save.connect(clean_names, dispatch_uid="core.text.clean_names")
