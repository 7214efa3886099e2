from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "What changed"

    def ready(self):
        from blog.sections import sections_assembled

        from .notes import carry_section_note

        sections_assembled.connect(carry_section_note)
