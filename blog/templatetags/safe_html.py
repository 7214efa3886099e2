"""Sanitising filters for HTML that editors (or imports) supply."""

import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# What rich text blocks can produce (blog.blocks.RICH_TEXT_FEATURES, plus images and embeds
# Wagtail may expand); anything else, and every on* handler or script URL, is dropped.
RICH_TEXT_TAGS = {
    "p", "br", "b", "strong", "i", "em", "a", "ol", "ul", "li", "h2", "h3", "h4", "code",
    "blockquote", "hr", "img", "span",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "class"},
    "span": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@register.filter
def sanitised_rich_text(html):
    """Rich text HTML with only the markup our features allow."""
    cleaned = nh3.clean(
        str(html or ""),
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it
