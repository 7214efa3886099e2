"""A page's metadata for readers' tools: canonical URL, description, Open Graph, Twitter card,
JSON-LD (Article, ItemList, BreadcrumbList, WebSite) and breadcrumbs.

Everything is built from what the page's view already loaded; nothing here queries the database
on a served page. `{% page_metadata %}` (templatetags/reader_tags.py) shows it, and pages that
cache their HTML per content version keep `metadata_html` with it.
"""

import json

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from .links import absolute_url

SITE_NAME = "Django at Scale"
SHARE_IMAGE_WIDTH, SHARE_IMAGE_HEIGHT = 1200, 630
LOGO_SIZE = 512
# Page types that have a share image (blog/share_images.py, served at /share/<id>.png).
SHARED_TYPES = ("blog.topicpostpage", "blog.compilationpage")
DEFAULT_DESCRIPTION = "A living compilation on running Django in production, at scale."
# The same escaping as Django's json_script: a title cannot close the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data):
    """A JSON-LD <script> data block (not executable, so CSP allows it)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def iso_instant(value):
    """An aware datetime as ISO 8601 to the second, with its zone ("2026-05-04T09:30:00+00:00"):
    the form HTML's <time datetime> and schema.org dates expect (no microseconds)."""
    return value.replace(microsecond=0).isoformat()


def _page_type(page):
    return page._meta.label_lower if page is not None else ""


def breadcrumbs_for(context):
    """[{"title", "url"}] from the site root to here, or [] on the home page and error pages."""
    if context.get("breadcrumbs"):
        return context["breadcrumbs"]
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None or page.depth <= 2:
        return []
    crumbs = [{"title": "Home", "url": "/"}]
    if page.depth > 3:
        # Served posts carry their parent already (TopicIndexPage.route sets it).
        parent = page.get_parent()
        crumbs.append({"title": parent.title, "url": parent.get_url(request)})
    crumbs.append({"title": page.title, "url": page.get_url(request)})
    return crumbs


def _breadcrumb_list(request, crumbs):
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "name": crumb["title"],
                "item": absolute_url(request, crumb["url"]),
            }
            for number, crumb in enumerate(crumbs, start=1)
        ],
    }


def share_image(request, page):
    """{"url", "width", "height", "alt"} of the page's share image, or None when it has none
    (another page type, a draft, a preview)."""
    kind = _page_type(page)
    if kind not in SHARED_TYPES or not page.live or getattr(request, "is_preview", False):
        return None
    topic = getattr(page, "topic", None) if kind == "blog.topicpostpage" else None
    label = f"a post on {topic.name}" if topic is not None else "a compilation"
    return {
        "url": absolute_url(request, reverse("share_image", args=[page.pk])),
        "width": SHARE_IMAGE_WIDTH,
        "height": SHARE_IMAGE_HEIGHT,
        "alt": f"“{page.title}”, {label}, on {SITE_NAME}",
    }


def publisher(request):
    """The site as a schema.org Organization, with its logo."""
    return {
        "@type": "Organization",
        "name": SITE_NAME,
        "url": absolute_url(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(request, reverse("share_logo")),
            "width": LOGO_SIZE,
            "height": LOGO_SIZE,
        },
    }


def _article(page, url, description, context, image):
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": page.title[:110],
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "publisher": publisher(request),
    }
    if image is not None:
        data["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    if page.last_published_at:
        data["dateModified"] = iso_instant(page.last_published_at)
    if _page_type(page) == "blog.topicpostpage":
        data["datePublished"] = iso_instant(page.published_at)
        data["author"] = [
            {"@type": "Person", "name": a.name, **({"url": a.link} if a.link else {})}
            for a in context.get("authors") or []
        ] or {"@type": "Organization", "name": SITE_NAME}
        if context.get("topic"):
            data["articleSection"] = context["topic"].name
        if context.get("tags"):
            data["keywords"] = [tag.name for tag in context["tags"]]
    else:
        if page.first_published_at:
            data["datePublished"] = iso_instant(page.first_published_at)
        data["author"] = {"@type": "Organization", "name": SITE_NAME}
    return data


def _item_list(page, url, entries):
    """The compilation's entries, in reading order, as a schema.org ItemList.

    `entries` are (name, absolute URL) pairs, built with the compilation's cached body.
    """
    items = [
        {"@type": "ListItem", "position": position, "name": name, "url": link}
        for position, (name, link) in enumerate(entries, start=1)
    ]
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": page.title,
        "url": url,
        "numberOfItems": len(items),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": items,
    }


def page_metadata(context):
    """Canonical link, description, Open Graph, Twitter card and JSON-LD for the current page."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return {}
    if page is not None and getattr(page, "pk", None):
        # A filtered listing may name another address as the canonical one (a topic's archive).
        path = context.get("canonical_path")
        url = absolute_url(request, path) if path else page.get_full_url(request)
        title = page.seo_title or page.title
        description = page.search_description or getattr(page, "summary", "") or ""
    elif context.get("canonical_path"):
        url = absolute_url(request, context["canonical_path"])
        title = context.get("archive_title", "")
        description = context.get("archive_lead") or ""
    else:
        return {"description": DEFAULT_DESCRIPTION}
    description = strip_tags(description).strip() or DEFAULT_DESCRIPTION
    posts = context.get("posts")
    if getattr(posts, "number", 1) > 1:
        # Later pages of a listing are pages of their own, not copies of the first.
        url = f"{url}?page={posts.number}"

    kind = _page_type(page)
    image = share_image(request, page)
    structured = []
    if kind in ("blog.topicpostpage", "blog.compilationpage"):
        structured.append(_article(page, url, description, context, image))
    if kind == "blog.compilationpage":
        structured.append(_item_list(page, url, context.get("entries") or []))
    if kind == "home.homepage":
        structured.append(
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": SITE_NAME,
                "url": url,
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": absolute_url(request, reverse("search")) + "?q={query}",
                    "query-input": "required name=query",
                },
            }
        )
    crumbs = breadcrumbs_for(context)
    if crumbs:
        structured.append(_breadcrumb_list(request, crumbs))
    return {
        "canonical": url,
        "title": title,
        "description": description,
        "og_type": "article" if kind in SHARED_TYPES else "website",
        "published": _published(page, kind),
        "modified": iso_instant(page.last_published_at)
        if kind in SHARED_TYPES and page.last_published_at
        else "",
        "image": image,
        "site_name": SITE_NAME,
        "json_ld": [ld_json(data) for data in structured],
    }


def _published(page, kind):
    if kind == "blog.topicpostpage":
        return iso_instant(page.published_at)
    if kind == "blog.compilationpage" and page.first_published_at:
        return iso_instant(page.first_published_at)
    return ""


def metadata_html(context):
    """The rendered metadata for `context`, for pages that cache it with their HTML."""
    return render_to_string("includes/page_metadata.html", page_metadata(context))
