"""A Wagtail locale for each of the site's languages (settings.WAGTAIL_CONTENT_LANGUAGES).

Wagtail's own migrations create the default language's locale; this adds the others, so that
editors can translate into them at once. Languages added later get theirs from the admin
(Settings > Locales) or by running this again on a fresh database.
"""

from django.conf import settings
from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
