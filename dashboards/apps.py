from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Сводки"

    def ready(self):
        from . import cache

        cache.connect()
