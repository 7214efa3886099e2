from django.apps import AppConfig


class MarkdownIoConfig(AppConfig):
    """Posts and compilations as Markdown files: import, export and the seed content."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "markdown_io"
    verbose_name = "Markdown files"
