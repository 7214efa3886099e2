"""The server error page, or a "back in a moment" page when the database is unreachable.

Django calls this view while it handles the exception, so the exception is still at hand. A
lost database connection (PostgreSQL restarting, a failover) is not a bug in the page: readers
get 503 with Retry-After, which tells browsers, crawlers and load balancers to come back,
instead of 500. Neither page touches the database.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 10


def server_error(request):
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)


class NotFoundPageMiddleware:
    """With DEBUG on, a page that is not found gets the site's own 404 page too.

    Django's debug 404 page styles itself inline, which the Content-Security-Policy blocks, so in
    development it came out unstyled; the site's page needs no exception to the policy. Without
    DEBUG, Django already renders 404.html and this does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return HttpResponse(loader.render_to_string("404.html", request=request), status=404)
        return None
