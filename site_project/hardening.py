"""Request hygiene for public URLs and login throttling for the admin.

Both are wired in settings (MIDDLEWARE and AXES_HANDLER in base.py's hardening block).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render

# Paths where forms are posted: the admin (and its login), and Wagtail's own forms for
# password-protected pages and documents. Everything else is read-only for the public.
WRITABLE_PREFIXES = ("/admin/", "/_util/", "/documents/authenticate_with_password/")
SAFE_METHODS = ("GET", "HEAD")
# Endpoints whose clients read JSON get their 400s as JSON too.
JSON_PREFIXES = ("/search/suggest/", "/api/")
MAX_PATH_CHARS = 2000
MAX_QUERY_CHARS = 4000


class PublicRequestMiddleware:
    """Answers requests no public page can serve before they reach the database.

    - A NUL byte (raw or %00) in the path or query string: 400. PostgreSQL refuses NUL in text,
      so such a value would otherwise fail deep inside a slug or tag lookup.
    - An over-long path or query string: 400 (414 would be stricter, but clients and proxies
      treat 400 the same and tests of "bad input" expect a 4xx).
    - A method other than GET or HEAD outside the admin: 405 with an Allow header. Wagtail pages
      would otherwise answer POST, PUT or DELETE with the page itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in raw_query or "\x00" in raw_query:
            return self.bad_request(request, "Bad request.")
        if len(request.path) > MAX_PATH_CHARS or len(raw_query) > MAX_QUERY_CHARS:
            return self.bad_request(request, "Bad request: the address is too long.")
        if request.method not in SAFE_METHODS and not request.path.startswith(WRITABLE_PREFIXES):
            response = HttpResponseNotAllowed(SAFE_METHODS)
            response.content = b"Only GET and HEAD are allowed here."
            response["Content-Type"] = "text/plain"
            return response
        return self.get_response(request)

    @staticmethod
    def bad_request(request, message):
        if request.path.startswith(JSON_PREFIXES):
            return JsonResponse({"error": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain")


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
    return render(request, "login_locked.html", {"minutes": minutes}, status=429)
