from django.apps import AppConfig


class LinkhealthConfig(AppConfig):
    """Outside links the site uses, checked and reported to editors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "linkhealth"
    verbose_name = "Link health"
