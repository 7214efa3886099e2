from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Database (and local media) backups and restores."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "backups"
    verbose_name = "Backups"
