"""The server error page, or a "back in a moment" page when the database is unreachable or
refuses writes.

Django calls this view while it handles the exception, so the exception is still at hand. A
lost database connection (PostgreSQL restarting, a failover) is not a bug in the page, nor is a
database that refuses writes (a replica promoted late, `default_transaction_read_only`, a user
with only SELECT): readers get 503 with Retry-After, which tells browsers, crawlers and load
balancers to come back, instead of 500. Neither page touches the database.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 10
# PostgreSQL's SQLSTATEs for a write refused: read_only_sql_transaction, insufficient_privilege.
WRITE_REFUSED_STATES = {"25006", "42501"}


def database_unavailable(error):
    """True for an error that says the database cannot serve this request now, not a bug."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, DatabaseError):
        cause = error.__cause__
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        return state in WRITE_REFUSED_STATES
    return False


def server_error(request):
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return defaults.server_error(request)


class NotFoundPageMiddleware:
    """With DEBUG on, a page that is not found gets the site's own 404 page too.

    Development then shows the page production shows rather than Django's technical one (which
    django-csp leaves without a policy under DEBUG, for its inline styles). Without DEBUG,
    Django already renders 404.html and this does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return HttpResponse(loader.render_to_string("404.html", request=request), status=404)
        return None
