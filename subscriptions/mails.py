"""The mails: each a plain-text part and an HTML part rendered from templates under
subscriptions/mail/, with absolute links on the site's public origin.

The mails are in the default language, with links without a language prefix, whatever language
the request or task that builds them runs in: which language a subscriber reads is not stored.
"""

import functools

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from blog.links import site_root_url

from . import tokens


def site_root():
    """The default Wagtail Site's origin (what post links use), else SITE_URL."""
    return site_root_url(None) or settings.SITE_URL


def unsubscribe_url(subscriber, root):
    token = tokens.unsubscribe_token(subscriber.key)
    return root + reverse("subscriptions:unsubscribe", args=[token])


def confirm_url(subscriber, frequency):
    token = tokens.confirmation_token(subscriber.key, frequency)
    return site_root() + reverse("subscriptions:confirm", args=[token])


def in_default_language(builder):
    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return builder(*args, **kwargs)

    return wrapper


def build(to, subject, template, context, unsubscribe=None):
    """A two-part message; with `unsubscribe` (a URL) it also carries the List-Unsubscribe
    headers, and the one-click POST of RFC 8058 to that URL unsubscribes."""
    context = {**context, "site_name": settings.WAGTAIL_SITE_NAME, "unsubscribe_url": unsubscribe}
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"subscriptions/mail/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"subscriptions/mail/{template}.html", context), "text/html"
    )
    return message


@in_default_language
def confirmation(subscriber, frequency):
    from .models import Frequency

    return build(
        subscriber.email,
        f"Confirm your subscription to {settings.WAGTAIL_SITE_NAME}",
        "confirm",
        {
            "confirm_url": confirm_url(subscriber, frequency),
            "frequency": Frequency(frequency).label.lower(),
            "hours": settings.SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS // 3600,
        },
    )


@in_default_language
def post(subscriber, post, url, root):
    return build(
        subscriber.email,
        f"New post: {post.title}",
        "post",
        {"post": post, "post_url": url},
        unsubscribe=unsubscribe_url(subscriber, root),
    )


@in_default_language
def digest(subscriber, posts, compilations, start, end, root):
    """`posts`: (post, URL) pairs; `compilations`: dicts with the page's title, URL, its
    changes URL and the Publishes of the week; `root`: the site's origin (site_root())."""
    return build(
        subscriber.email,
        f"This week on {settings.WAGTAIL_SITE_NAME}",
        "digest",
        {"posts": posts, "compilations": compilations, "start": start, "end": end},
        unsubscribe=unsubscribe_url(subscriber, root),
    )
