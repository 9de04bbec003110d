from django.apps import AppConfig


class ProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "test_idp"
    default_auto_field = "django.db.models.BigAutoField"
