"""Which pages exist in which languages: the language switcher, hreflang links and the sitemap.

One query builds the map of every live public page that has at least one live public
translation, kept per content version (serving/content_version.py), so a page asks nothing of
the database to show its alternates.
"""

from django.conf import settings
from django.db.models import Count
from django.utils import translation
from wagtail.models import Page

from blog.fragments import light_page
from serving import content_version


def language_name(code):
    """The language's name in that language ("Français"), as LANGUAGES spells it."""
    return dict(settings.LANGUAGES).get(code, code)


def translation_map(request=None):
    """{translation_key: [(language code, light page), ...]} in LANGUAGES order, for pages
    readers can see in more than one language."""
    return content_version.cached("translations:map", _build_map, request=request)


def _build_map():
    readable = Page.objects.live().public()
    shared = (
        readable.order_by()
        .values("translation_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("translation_key")
    )
    order = [code for code, _name in settings.LANGUAGES]
    found = {}
    pages = readable.filter(translation_key__in=shared).select_related("locale")
    for page in pages.only("title", "url_path", "depth", "translation_key", "locale"):
        code = page.locale.language_code
        if code in order:
            found.setdefault(str(page.translation_key), []).append((code, light_page(page)))
    for versions in found.values():
        versions.sort(key=lambda version: order.index(version[0]))
    return found


def alternates(page, request):
    """[{code, name, url, full_url, current}] for `page` in each language it exists in, or []
    when it exists in one language only. Links are built in their own language (its prefix)."""
    key = getattr(page, "translation_key", None)
    if key is None or not getattr(page, "pk", None):
        return []
    versions = translation_map(request).get(str(key), [])
    found = []
    for code, version in versions:
        with translation.override(code):
            found.append(
                {
                    "code": code,
                    "name": language_name(code),
                    "url": version.get_url(request),
                    "full_url": version.get_full_url(request),
                    "current": version.pk == page.pk,
                }
            )
    return found if len(found) > 1 else []
