"""Which changes make cached pages stale: a new content version for each of them.

A page is published, unpublished, moved, deleted or saved; a snippet, a tag, an image or a
document is saved or deleted; a site, a view restriction or a site setting changes. Bumping the
version for all of them is cheap (one cache write) and never misses a page that shows the
changed object, whichever page that is.
"""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from . import content_version

ALWAYS = (Page, Site, PageViewRestriction, Tag, BaseSiteSetting, BaseGenericSetting)


def shows_on_pages(model):
    """True for models whose rows end up on public pages."""
    extra = (get_image_model(), get_document_model(), *get_snippet_models())
    return issubclass(model, ALWAYS) or model in extra


def on_model_change(sender, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata: nothing is served from a half-loaded fixture anyway
    if shows_on_pages(sender):
        content_version.bump()


def on_page_event(sender, **kwargs):
    content_version.bump()


def connect():
    post_save.connect(on_model_change, dispatch_uid="serving.post_save")
    post_delete.connect(on_model_change, dispatch_uid="serving.post_delete")
    page_published.connect(on_page_event, dispatch_uid="serving.page_published")
    page_unpublished.connect(on_page_event, dispatch_uid="serving.page_unpublished")
    post_page_move.connect(on_page_event, dispatch_uid="serving.post_page_move")
