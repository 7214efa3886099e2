from django.apps import AppConfig


class ServingConfig(AppConfig):
    """How the site is served in production: page cache, route cache, CSP, health check."""

    name = "serving"
    verbose_name = "Serving"

    def ready(self):
        from . import invalidation

        invalidation.connect()
