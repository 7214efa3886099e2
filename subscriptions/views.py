"""/subscribe/: the form, the confirmation link's page and the unsubscribe link's page.

None of them is ever cached (they carry a CSRF token or act on a signed link), none shows an
e-mail address, and every answer to the form is the same whether or not the address is known.
A form taken is answered with a redirect to "check your inbox" (`/subscribe/?sent=1`), so a
reload there never sends the form, and another confirmation mail, again.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from search.views import retry_after, too_many

from . import tokens
from .forms import SubscribeForm
from .models import Frequency, Subscriber
from .tasks import send_confirmation

ADDRESS_WINDOW_SECONDS = 24 * 60 * 60


def _private(response):
    """Links in these pages carry secrets: not for search engines or other sites' logs. (Not
    "no-referrer": browsers then send "Origin: null" with the page's form, which the CSRF
    check refuses.)"""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


def _confirmations_left(email):
    """False once this address has been sent SUBSCRIBE_CONFIRMATIONS_PER_ADDRESS confirmation
    mails in a day: the form still answers as usual, but no further mail goes to it, so the
    form cannot be used to flood someone's inbox."""
    limit = settings.SUBSCRIBE_CONFIRMATIONS_PER_ADDRESS
    if not limit:
        return True
    digest = hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"subscribe:address:{digest}"
    cache.add(key, 0, ADDRESS_WINDOW_SECONDS)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # no cache answer: nobody is refused
        return True


def _invalid_link(request, error):
    response = render(
        request, "subscriptions/invalid_link.html", {"expired": error.expired}, status=400
    )
    return _private(response)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        if request.GET.get("sent") == "1":
            return render(request, "subscriptions/check_your_inbox.html")
        return render(request, "subscriptions/subscribe.html", {"form": SubscribeForm()})
    wait = retry_after(request, "subscribe", settings.SUBSCRIBE_REQUESTS_PER_MINUTE)
    if wait:
        response = render(request, "subscriptions/too_many.html", {"seconds": wait}, status=429)
        return too_many(response, wait)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "subscriptions/subscribe.html", {"form": form})
    email = form.cleaned_data["email"]
    if not form.is_bot and _confirmations_left(email):
        send_confirmation.enqueue(email=email, frequency=form.cleaned_data["frequency"])
    response = HttpResponseRedirect(reverse("subscriptions:subscribe") + "?sent=1")
    response.status_code = 303  # See Other: "check your inbox" is fetched with a GET
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link from the confirmation mail: GET shows a button (mail scanners follow links; only
    a person presses it), POST confirms."""
    try:
        key, frequency = tokens.read_confirmation(token)
    except tokens.Invalid as error:
        return _invalid_link(request, error)
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None or frequency not in Frequency.values:
        return _invalid_link(request, tokens.Invalid(expired=True))
    label = Frequency(frequency).label.lower()
    if request.method != "POST":
        return _private(render(request, "subscriptions/confirm.html", {"frequency": label}))
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        now = timezone.now()
        if subscriber.confirmed_at is None or subscriber.frequency != frequency:
            # Nothing published before now is mailed, and a weekly digest's week starts now.
            subscriber.since = now
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.frequency = frequency
        subscriber.save(update_fields=["since", "confirmed_at", "frequency"])
    return _private(render(request, "subscriptions/confirmed.html", {"frequency": label}))


@csrf_exempt  # the one-click POST of RFC 8058 comes from a mail client, with no page or token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button; POST (the button, or a mail client's one-click request) removes the
    subscriber. Posting again, or after the address was removed, answers the same."""
    try:
        key = tokens.read_unsubscribe(token)
    except tokens.Invalid as error:
        return _invalid_link(request, error)
    if request.method != "POST":
        return _private(render(request, "subscriptions/unsubscribe.html"))
    Subscriber.objects.filter(key=key).delete()
    return _private(render(request, "subscriptions/unsubscribed.html"))
