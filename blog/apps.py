from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, pre_delete


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"

    def ready(self):
        # A compilation's body follows its section pages (blog/sections.py).
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from . import sections
        from .models import CompilationPage, CompilationSectionPage

        page_published.connect(sections.section_published, sender=CompilationSectionPage)
        page_unpublished.connect(sections.section_unpublished, sender=CompilationSectionPage)
        post_delete.connect(sections.section_deleted, sender=CompilationSectionPage)
        post_page_move.connect(sections.section_moved, sender=CompilationSectionPage)
        pre_delete.connect(sections.compilation_deleting, sender=CompilationPage)
        post_delete.connect(sections.compilation_deleted, sender=CompilationPage)
        # Compilations stored before sections were pages are split once migrations have run:
        # with the real models, whose tree, revision and translation methods a data
        # migration's historical models lack.
        post_migrate.connect(sections.split_every_compilation, sender=self)
