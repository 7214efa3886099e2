from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """Readers' e-mail subscriptions: double opt-in, each new post or a weekly digest."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self):
        from wagtail.signals import page_published

        from blog.models import TopicPostPage

        from .tasks import post_published

        page_published.connect(
            post_published, sender=TopicPostPage, dispatch_uid="subscriptions.post_published"
        )
