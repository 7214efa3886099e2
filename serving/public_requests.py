"""Request hygiene for public URLs: what no public page can serve is answered before it reaches
the database."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse

# Paths where forms are posted: the admin (and its login), Wagtail's own forms for
# password-protected pages and documents, and the subscription form and links (in every
# language). Everything else is read-only for the public, but for the form below.
WRITABLE_PREFIXES = (
    "/admin/",
    "/_util/",
    "/documents/authenticate_with_password/",
    "/subscribe/",
    *(f"/{code}/subscribe/" for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE),
)
# A compilation's "Suggest an entry" form (<compilation>/suggest/, under any language prefix)
# takes a POST; the search's own /search/suggest/ does not.
FORM_SUFFIX, NOT_A_FORM_SUFFIX = "/suggest/", "/search/suggest/"
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
    - A method other than GET or HEAD outside the admin (and POST outside a compilation's
      suggestion form): 405 with an Allow header. Wagtail pages would otherwise answer POST, PUT
      or DELETE with the page itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in raw_query or "\x00" in raw_query:
            return self.bad_request(request, "Bad request.")
        if len(request.path) > MAX_PATH_CHARS or len(raw_query) > MAX_QUERY_CHARS:
            return self.bad_request(request, "Bad request: the address is too long.")
        if request.method not in SAFE_METHODS and not self.writable(request):
            response = HttpResponseNotAllowed(SAFE_METHODS)
            response.content = b"Only GET and HEAD are allowed here."
            response["Content-Type"] = "text/plain"
            return response
        return self.get_response(request)

    @staticmethod
    def writable(request):
        path = request.path
        if path.startswith(WRITABLE_PREFIXES):
            return True
        return (
            request.method == "POST"
            and path.endswith(FORM_SUFFIX)
            and not path.endswith(NOT_A_FORM_SUFFIX)
        )

    @staticmethod
    def bad_request(request, message):
        if request.path.startswith(JSON_PREFIXES):
            return JsonResponse({"error": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain")
