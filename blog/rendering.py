"""Markdown and code rendered to HTML, cached by a hash of their source.

Rendered HTML depends only on the source text (and the renderer), so each distinct text is
rendered once, not once per request, and whatever page or block it appears in.
"""

import hashlib

from django.core.cache import cache
from django.utils.safestring import mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtailmarkdown.utils import render_markdown

# Part of every key: bump it when the renderer or its sanitiser settings change, so that no
# HTML rendered by the previous ones is served (2: style attributes are dropped).
RENDER_CACHE_VERSION = "2"
RENDER_CACHE_SECONDS = 60 * 60 * 24 * 30


def _cache_key(kind, text):
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"render:{kind}:{RENDER_CACHE_VERSION}:{digest}"


def markdown_to_html(text):
    """Sanitised HTML for Markdown source, rendered once per distinct text."""
    key = _cache_key("md", text)
    html = cache.get(key)
    if html is None:
        html = str(render_markdown(text))
        cache.set(key, html, RENDER_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - render_markdown sanitises with nh3


def highlight_code(source, language):
    """Pygments-highlighted HTML (CSS classes, no inline styles), cached per source and language."""
    key = _cache_key(f"code:{language}", source)
    html = cache.get(key)
    if html is None:
        try:
            lexer = get_lexer_by_name(language, stripall=False)
        except ClassNotFound:
            lexer = get_lexer_by_name("text")
        formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
        html = highlight(source, lexer, formatter)
        cache.set(key, html, RENDER_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - Pygments escapes the source
