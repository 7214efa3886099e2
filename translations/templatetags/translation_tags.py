"""The language switcher, hreflang links and links that stay in the default language."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from translations.alternates import alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alternates(context, page):
    """The page in each of its languages (empty when it has one): see alternates()."""
    return alternates(page, context.get("request"))


@register.simple_tag
def javascript_catalog_url():
    """The address of the site's scripts' words in the reader's language; "" in the default
    language, whose words the scripts carry themselves."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return reverse("javascript_catalog")


@register.simple_tag
def default_language_url(name, *args):
    """The URL named `name` in the default language, for pages only that language has (the
    posts): the same link from every language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)
