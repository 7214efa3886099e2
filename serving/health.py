"""/healthz for load balancers: 200 while the database answers and accepts writes, 503 when not.

Answered before every other middleware: load balancers call it by IP address (which
ALLOWED_HOSTS would refuse) and over plain HTTP (which SECURE_SSL_REDIRECT would redirect).
It reveals nothing but "ok" or, in a few words, what is wrong with the database: "unavailable"
(no answer), "read-only" (a replica, `default_transaction_read_only`) or "refuses writes" (a
user without INSERT). The write checks are catalogue reads: nothing is written.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"


def database_problem():
    """None when the database answers and accepts writes, else what is wrong, in a few words."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Sessions are written on every sign-in: a table every write path needs.
                cursor.execute(
                    "SELECT current_setting('transaction_read_only'),"
                    " has_table_privilege('django_session', 'INSERT')"
                )
                read_only, can_insert = cursor.fetchone()
                if read_only == "on":
                    problem = "read-only"
                elif not can_insert:
                    problem = "refuses writes"
                else:
                    return None
                logger.warning("Health check: the database is %s", problem)
                return problem
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return None


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        problem = database_problem()
        response = HttpResponse(
            f"{problem or 'ok'}\n",
            status=503 if problem else 200,
            content_type="text/plain; charset=utf-8",
        )
        response["Cache-Control"] = "no-store"
        return response
