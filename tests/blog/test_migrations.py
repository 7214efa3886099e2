"""A database whose topics and authors predate their translations upgrades without losing a row:
each becomes the default language's version of itself, and posts keep pointing at it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from blog.models import Author, Topic

BEFORE = [("blog", "0010_annotation_box_and_reviewed_today")]


def migrate(targets):
    """Migrate to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_topics_and_authors_become_english_without_loss():
    # An earlier transactional test may have flushed away the locale Wagtail's migrations make.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
    old = migrate(BEFORE)
    old_topic = old.get_model("blog", "Topic")
    old_author = old.get_model("blog", "Author")
    old_topic.objects.create(name="Databases", slug="database", description="SQL.")
    old_topic.objects.create(name="Security", slug="security")
    old_author.objects.create(name="Ada", slug="ada", bio="Writes.", link="https://ada.test/")

    migrate(latest())

    topics = list(Topic.objects.order_by("slug"))
    assert [(t.slug, t.name, t.description) for t in topics] == [
        ("database", "Databases", "SQL."),
        ("security", "Security", ""),
    ]
    assert {t.locale.language_code for t in topics} == {"en"}
    assert len({t.translation_key for t in topics}) == 2
    author = Author.objects.get()
    assert (author.name, author.bio, author.link) == ("Ada", "Writes.", "https://ada.test/")
    assert author.locale.language_code == "en"
    assert author.translation_key is not None
