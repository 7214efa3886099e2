"""Sign-in throttling for the admin: django-axes with one limit per account and another per
address, the client address it counts, and the page a locked-out sign-in gets.

Wired in settings (AXES_HANDLER, AXES_CLIENT_IP_CALLABLE, AXES_LOCKOUT_CALLABLE).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with one limit per account and another per address.

    Axes compares a single failure count with AXES_FAILURE_LIMIT. This handler reports the
    account's own failures, or at least that limit once the address has reached
    LOGIN_FAILURE_LIMIT_PER_IP, so a busy office behind one address is not locked out by one
    person's typos while a password-spraying address still is.
    """

    def get_failures(self, request, credentials=None):
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = sum(
            recent.filter(username=username).values_list("failures_since_start", flat=True)
        )
        by_address = sum(
            recent.filter(ip_address=request.axes_ip_address).values_list(
                "failures_since_start", flat=True
            )
        )
        if by_address >= settings.LOGIN_FAILURE_LIMIT_PER_IP:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account


def client_ip(request):
    """The address login throttling counts: the connecting address, or, behind
    TRUSTED_PROXY_COUNT proxies, the one the outermost trusted proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so only the
    last TRUSTED_PROXY_COUNT entries can be trusted; anything to their left is whatever the client
    chose to send.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [ip for ip in forwarded if ip]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: what happened, for how long, and what to do."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "editorial/login_locked.html", {"minutes": minutes}, status=429)
