"""/healthz for load balancers: 200 while the database answers, 503 when it does not.

Answered before every other middleware: load balancers call it by IP address (which
ALLOWED_HOSTS would refuse) and over plain HTTP (which SECURE_SSL_REDIRECT would redirect).
It reveals nothing but "ok" or "unavailable".
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        connection.close_if_unusable_or_obsolete()
        return False
    return True


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        ok = database_answers()
        response = HttpResponse(
            "ok\n" if ok else "unavailable\n",
            status=200 if ok else 503,
            content_type="text/plain; charset=utf-8",
        )
        response["Cache-Control"] = "no-store"
        return response
