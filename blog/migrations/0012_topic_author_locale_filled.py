"""Every existing topic and author becomes the default language's version of itself: a locale and
a translation key of its own (Wagtail's BootstrapTranslatableModel), before the next migration
makes both required."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [("blog", "0011_topic_author_locale")]

    operations = [
        BootstrapTranslatableModel("blog.Topic"),
        BootstrapTranslatableModel("blog.Author"),
    ]
