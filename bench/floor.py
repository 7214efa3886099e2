"""The floor: the cheapest page Django can serve, for the benchmark to compare against.

A Django project of one view returning a constant page: no middleware, no database, no
templates. It runs under the same gunicorn.conf.py as the site, so the ratio of a site page to
this one measures what our code costs, not what the machine or gunicorn costs.

    gunicorn --config gunicorn.conf.py bench.floor:application
"""

import os

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-floor-only"),
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

PAGE = b"<!DOCTYPE html><html lang=en><title>Floor</title><p>" + b"A constant page. " * 200


def constant(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", constant)]
application = get_wsgi_application()
