"""Template tags for readers' pages: the page's metadata, breadcrumbs and heading anchors."""

import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from blog import metadata
from blog.rendering import markdown_to_html

register = template.Library()

HEADING_ID_RE = re.compile(r'<(h[23]) id="([^"]+)">(.*?)</\1>', re.S)

register.inclusion_tag("includes/page_metadata.html", takes_context=True, name="page_metadata")(
    metadata.page_metadata
)


register.filter("iso_instant", metadata.iso_instant)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    return {"crumbs": metadata.breadcrumbs_for(context)}


def _add_anchor(match):
    tag, anchor, inner = match.groups()
    label = escape(strip_tags(inner).strip())
    return (
        f'<{tag} id="{anchor}">{inner}<a class="anchor" href="#{anchor}" '
        f'aria-label="Link to “{label}”">#</a></{tag}>'
    )


@register.filter
def markdown_with_anchors(text):
    """Markdown rendered (and sanitised) as usual, with a link to each h2/h3 after its text.

    Without JavaScript the link is a plain #fragment link; static/js/anchors.js adds copying.
    """
    html = HEADING_ID_RE.sub(_add_anchor, str(markdown_to_html(text or "")))
    return mark_safe(html)  # noqa: S308 - sanitised above
