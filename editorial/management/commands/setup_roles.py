"""Create or reset the Editors, Moderators and Administrators groups and the moderation flow."""

from django.core.management.base import BaseCommand

from editorial.roles import ensure_roles


class Command(BaseCommand):
    help = (
        "Create the Editors, Moderators and Administrators groups with their Wagtail "
        "permissions and the moderation workflow (load_compilation does this too)."
    )

    def handle(self, *args, **options):
        groups = ensure_roles()
        self.stdout.write(self.style.SUCCESS(f"Roles ready: {', '.join(groups)}."))
