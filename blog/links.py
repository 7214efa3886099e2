"""Absolute URLs for feeds, the sitemap and page metadata.

They come from the Wagtail Site that serves the request (Settings → Sites: hostname and port),
exactly like Wagtail's own page URLs, never from the request's Host header: a cached page or feed
must not carry whatever host a client sent.
"""

import re

from wagtail.models import Site

# href and src attributes holding a site-relative path ("/posts/x/") or a fragment ("#part").
RELATIVE_LINK_RE = re.compile(r'\b(href|src)="(/(?!/)[^"]*|#[^"]*)"')


def site_root_url(request):
    """ "https://example.com" for the request's Wagtail site (no trailing slash)."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else ""


def absolute_url(request, path):
    """`path` ("/topics/x/") made absolute on the request's Wagtail site; full URLs unchanged."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_root_url(request) + path


def absolute_links(html, root_url, page_url):
    """`html` with every site-relative link made absolute on `root_url`, and every "#fragment"
    link pointing into `page_url`: HTML read away from the site (a feed reader) still works."""

    def replace(match):
        attribute, value = match.groups()
        base = page_url if value.startswith("#") else root_url
        return f'{attribute}="{base}{value}"'

    return RELATIVE_LINK_RE.sub(replace, html)
