from django.apps import AppConfig


class ServingConfig(AppConfig):
    """How the site is served in production: page cache, route cache, CSP, health check."""

    name = "serving"
    verbose_name = "Serving"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import invalidation, site_url

        invalidation.connect()
        post_migrate.connect(site_url.on_post_migrate, dispatch_uid="serving.site_url")
        checks.register(site_url.check_site_url)
