from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Roles, the moderation workflow, review flags and sign-in throttling for editors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.permissions import register_permission_policy

        from .permissions import ExplicitDeletePermissionPolicy

        # Deleting an image or a document needs the delete permission, not only having uploaded
        # it. Registered for the exact class, so that it wins over the policy wagtail.images and
        # wagtail.documents register for their models (their apps are ready after this one).
        for model in (get_image_model(), get_document_model()):
            register_permission_policy(
                model,
                ExplicitDeletePermissionPolicy(model, owner_field_name="uploaded_by_user"),
                exact_class=True,
            )
