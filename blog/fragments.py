"""Pages rendered once per content version: the pieces they keep and the light copies of pages
they hold.

A page's `<head>` metadata and main content are rendered to HTML and kept in the cache under the
content version (serving/content_version.py); so are maps and listings that link to other pages,
as light copies of those pages that carry only what a link and a title need.
"""

from django.template.loader import render_to_string
from wagtail.models import Page, Site

from .metadata import metadata_html


def is_preview(request):
    return getattr(request, "is_preview", False)


def site_key(request):
    """The request's Wagtail site, for the keys of fragments that hold its URLs."""
    site = Site.find_for_request(request)
    return site.pk if site is not None else ""


def render_fragments(template, context):
    """A page's <head> metadata and main content as HTML, small enough to keep in the cache.

    Rendered from `context` alone, without the request's context processors: nothing in them
    may depend on who is asking (the user bar stays in base.html), only on content and site.
    """
    return {
        "metadata_html": metadata_html(context),
        "content_html": render_to_string(template, context),
    }


def light_page(page, **extra):
    """A bare Page with what `{% pageurl %}` and a title need, plus `extra` attributes; cheap to
    keep in the cache in place of the page itself."""
    light = Page(id=page.id, title=page.title, url_path=page.url_path, depth=page.depth)
    for name, value in extra.items():
        setattr(light, name, value)
    return light
