"""Which changes make cached pages stale: a new content version for each of them.

A page is published, unpublished, moved, deleted or saved; a snippet, a tag, an image or a
document is saved or deleted; a site, a view restriction or a site setting changes. Bumping the
version for all of them is cheap (one cache write) and never misses a page that shows the
changed object, whichever page that is.

Before the bump, each change says what it touched, for the few seconds in which older pages may
still answer while they are rendered afresh (serving/stale_pages.py): a saved or published page
its own path; anything that can hide or move content (an unpublish, a move, a delete, a view
restriction, a site, a setting) every page.
"""

import logging

from django.db.models.signals import post_delete, post_save, pre_save
from taggit.models import Tag
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import content_version, stale_pages

logger = logging.getLogger(__name__)

ALWAYS = (Page, Site, PageViewRestriction, Tag, BaseSiteSetting, BaseGenericSetting)


def shows_on_pages(model):
    """True for models whose rows end up on public pages."""
    extra = (get_image_model(), get_document_model(), *get_snippet_models())
    return issubclass(model, ALWAYS) or model in extra


HIDES_OR_MOVES = (Site, PageViewRestriction, BaseSiteSetting, BaseGenericSetting)
# What Wagtail writes to a page's row when a draft is saved (save_revision: every autosave) or
# the page is locked: none of it shows on the live site, so none of it makes pages stale.
DRAFT_BOOKKEEPING = frozenset(
    {
        "wagtail_admin_comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def record_page(page):
    try:
        parts = page.get_url_parts()
    except Exception:  # a page half-built or half-deleted: keep every copy from answering
        logger.debug("No URL to record for page %s", page.pk, exc_info=True)
        stale_pages.record_change_everywhere()
        return
    if parts is None or parts[2] is None:
        return  # not routable: no reader has a copy of it under any address
    stale_pages.record_page_change(parts[2])


def on_model_change(sender, instance=None, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata: nothing is served from a half-loaded fixture anyway
    if not shows_on_pages(sender):
        return
    update_fields = kwargs.get("update_fields")
    if issubclass(sender, Page) and update_fields and set(update_fields) <= DRAFT_BOOKKEEPING:
        return
    if issubclass(sender, HIDES_OR_MOVES) or (
        issubclass(sender, Page) and kwargs.get("signal") is post_delete
    ):
        stale_pages.record_change_everywhere()
    elif issubclass(sender, Page):
        record_page(instance)
    content_version.bump()


def on_page_address_change(sender, instance=None, raw=False, update_fields=None, **kwargs):
    """A new slug moves the page and everything under it to new addresses: nothing is answered
    from before at the old ones. Wagtail has set the new url_path before the row is written."""
    if raw or not issubclass(sender, Page) or instance.pk is None:
        return
    if update_fields is not None and "url_path" not in update_fields:
        return
    before = Page.objects.filter(pk=instance.pk).values_list("url_path", flat=True).first()
    if before is not None and before != instance.url_path:
        stale_pages.record_change_everywhere()


def on_page_published(sender, instance=None, **kwargs):
    record_page(instance)
    content_version.bump()


def on_content_hidden_or_moved(sender, **kwargs):
    stale_pages.record_change_everywhere()
    content_version.bump()


def connect():
    post_save.connect(on_model_change, dispatch_uid="serving.post_save")
    post_delete.connect(on_model_change, dispatch_uid="serving.post_delete")
    page_published.connect(on_page_published, dispatch_uid="serving.page_published")
    page_unpublished.connect(on_content_hidden_or_moved, dispatch_uid="serving.page_unpublished")
    post_page_move.connect(on_content_hidden_or_moved, dispatch_uid="serving.post_page_move")
    pre_save.connect(on_page_address_change, dispatch_uid="serving.pre_save")
