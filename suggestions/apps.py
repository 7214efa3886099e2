from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Links readers propose for a compilation, and the editors' queue that decides on them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "suggestions"
    verbose_name = "Readers' suggestions"
