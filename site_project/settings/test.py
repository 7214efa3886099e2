"""The test suite: fast hashing, local-memory cache, in-memory file storage."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Static files come straight from the finders; no collectstatic before tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# The page cache is off by default so that tests see each response rendered; the page cache
# tests turn it on. The content version lives in the test cache.
PAGE_CACHE_SECONDS = 0
CONTENT_VERSION_STORE = "cache"
# The link health tests' local server runs on the loopback address.
LINKHEALTH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
# No search rate limits unless a test turns them on: tests search more than readers do.
SEARCH_REQUESTS_PER_MINUTE = 0
SUGGEST_REQUESTS_PER_MINUTE = 0
SUBSCRIBE_REQUESTS_PER_MINUTE = 0
SUGGESTIONS_PER_HOUR = 0
# Tasks run where they are enqueued unless a test runs the database queue and its worker.
TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}  # noqa: F405
