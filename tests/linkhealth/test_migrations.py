"""A database migrated before the link-health models left the blog app upgrades in place: the
rows stay in their tables, and the content types (with their permissions) follow the models."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from linkhealth.models import LinkCheck, LinkCheckRun, LinkUse, Outcome

MODELS = ["linkcheck", "linkuse", "linkcheckrun"]
BLOG_BEFORE = ("blog", "0003_editor_help_text_and_block_previews")


def migrate(targets):
    """Migrate to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [target for target in targets if target[1] is not None]
    return executor.loader.project_state(
        [*applied, ("contenttypes", "0002_remove_content_type_name")]
    ).apps


def any_page():
    """A page for the link uses to point at. An earlier transactional test may have flushed away
    the root page and locale that Wagtail's migrations create."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_link_checks_made_by_the_blog_app_survive_the_move():
    home = any_page()
    old = migrate([BLOG_BEFORE, ("linkhealth", None)])
    # As the blog app stored them: its content types, with their permissions attached.
    old.get_model("contenttypes", "ContentType").objects.filter(
        app_label="linkhealth", model__in=MODELS
    ).update(app_label="blog")
    link = old.get_model("blog", "LinkCheck").objects.create(
        url="https://docs.djangoproject.com/en/5.2/", host="docs.djangoproject.com", outcome="ok"
    )
    old.get_model("blog", "LinkUse").objects.create(
        link_id=link.pk, page_id=home.pk, anchor="caching", section="Caching", kind="Entry"
    )
    old.get_model("blog", "LinkCheckRun").objects.create(
        started_at=timezone.now(), trigger="command", checked=1
    )

    migrate(latest())

    moved = LinkCheck.objects.get()
    assert (moved.url, moved.outcome) == ("https://docs.djangoproject.com/en/5.2/", Outcome.OK)
    use = LinkUse.objects.get()
    assert (use.link_id, use.page_id, use.anchor) == (moved.pk, home.pk, "caching")
    assert LinkCheckRun.objects.get().checked == 1
    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="blog", model__in=MODELS).exists()
    moved_perms = Permission.objects.filter(content_type__app_label="linkhealth")
    assert moved_perms.filter(codename="view_linkcheck").exists()
    assert moved_perms.count() == 4 * len(MODELS)
