"""Local development: DEBUG on, a key that is only ever used on a developer's machine."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
# Static files come straight from the finders; no collectstatic in development.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Whole-page caching would hide template edits; the route and fragment caches stay on.
PAGE_CACHE_SECONDS = 0
# Tasks run where they are enqueued: `make run` starts no worker.
TASKS = tasks_setting("immediate")  # noqa: F405
