"""Throttling of the passwords that protect pages and documents, like the admin's sign-in.

Wagtail checks a page's (or a document collection's) password in its own view and accepts any
number of guesses. These wrappers count wrong passwords in the cache, per address and
restriction and per restriction from every address, and answer 429 with a page saying so once
either count reaches its limit. Until the cool-off ends even the right password is refused, so
a guesser cannot tell when it found it.
"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .signin import client_ip


def _cool_off_seconds():
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _counters(kind, restriction_id, request):
    address = client_ip(request) or "unknown"
    return [
        (
            f"protected:{kind}:{restriction_id}:address:{address}",
            settings.PROTECTED_PASSWORD_LIMIT_PER_IP,
        ),
        (f"protected:{kind}:{restriction_id}", settings.PROTECTED_PASSWORD_LIMIT_PER_RESTRICTION),
    ]


def _locked(counters):
    return any((cache.get(key) or 0) >= limit for key, limit in counters)


def _count_failure(counters):
    timeout = _cool_off_seconds()
    for key, _limit in counters:
        # A new failure restarts the cool-off: the pause lasts until a quiet period has passed.
        cache.set(key, (cache.get(key) or 0) + 1, timeout)


def throttled_response(request):
    minutes = _cool_off_seconds() // 60
    response = render(
        request, "editorial/password_throttled.html", {"minutes": minutes}, status=429
    )
    response["Retry-After"] = str(_cool_off_seconds())
    return response


def throttle_passwords(view, kind):
    """`view` (Wagtail's password view for `kind`), refusing guesses past the limits. Wagtail's
    view redirects when the password is right and shows the form again when it is wrong."""

    def throttled(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        restriction_id = kwargs.get("page_view_restriction_id", kwargs.get("restriction_id"))
        counters = _counters(kind, restriction_id, request)
        if _locked(counters):
            return throttled_response(request)
        response = view(request, *args, **kwargs)
        if response.status_code != 302:
            _count_failure(counters)
        return response

    return throttled
