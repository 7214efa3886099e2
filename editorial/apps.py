from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Roles, the moderation workflow, review flags and sign-in throttling for editors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"
