from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Roles, the moderation workflow, review flags and sign-in throttling for editors."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.admin.compare import register_comparison_class
        from wagtail.documents import get_document_model
        from wagtail.fields import StreamField
        from wagtail.images import get_image_model
        from wagtail.permissions import register_permission_policy

        from .compare import CompilationBodyComparison
        from .history import merge_draft_saves
        from .permissions import ExplicitDeletePermissionPolicy

        # A compilation's revisions compare section by section, unchanged ones folded; other
        # StreamFields fall back to Wagtail's comparison (editorial/compare.py).
        register_comparison_class(StreamField, comparison_class=CompilationBodyComparison)
        # Autosave's "Draft saved" rows in a row by one editor become one (editorial/history.py).
        post_save.connect(
            merge_draft_saves, sender="wagtailcore.PageLogEntry", dispatch_uid="merge-draft-saves"
        )

        # Deleting an image or a document needs the delete permission, not only having uploaded
        # it. Registered for the exact class, so that it wins over the policy wagtail.images and
        # wagtail.documents register for their models (their apps are ready after this one).
        for model in (get_image_model(), get_document_model()):
            register_permission_policy(
                model,
                ExplicitDeletePermissionPolicy(model, owner_field_name="uploaded_by_user"),
                exact_class=True,
            )
