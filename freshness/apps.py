from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "freshness"
    verbose_name = "Version freshness"
