from django.apps import AppConfig


class ForecastsConfig(AppConfig):
    name = "forecasts"
    verbose_name = "прогнозы"

    def ready(self):
        from . import triggers

        triggers.connect()
