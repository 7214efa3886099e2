"""Scale-out switches: each one turns on by environment alone (docs/DEPLOYMENT.md).

Settings are imported in a subprocess with the variable set, as a server would start.
"""

import http.server
import json
import os
import threading

import pytest
from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

from tests import factories
from tests.isolated import ROOT, output

SWITCHES = (
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_ENDPOINT_URL",
    "FRONTEND_CACHE_PURGE_URL",
    "CLOUDFLARE_ZONE_ID",
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFRONT_DISTRIBUTION_ID",
    "SEARCH_BACKEND_URL",
    "SEARCH_BACKEND",
    "CONTENT_VERSION_FILE",
)


def settings_with(env, code):
    """Import dev settings with `env` set; `code` prints one JSON value from them."""
    script = "import json\nfrom site_project.settings import dev as s\n" + code
    return json.loads(output(script, env, drop=SWITCHES))


def test_cache_is_local_memory_and_version_in_a_file_without_redis_url():
    backend, store = settings_with(
        {}, "print(json.dumps([s.CACHES['default']['BACKEND'], s.CONTENT_VERSION_STORE]))"
    )

    assert backend == "django.core.cache.backends.locmem.LocMemCache"
    assert store == str(ROOT / "var" / "content-version")


def test_redis_url_selects_redis_that_swallows_errors_with_short_timeouts():
    cache, store = settings_with(
        {"REDIS_URL": "redis://cache.internal:6379/1"},
        "print(json.dumps([s.CACHES['default'], s.CONTENT_VERSION_STORE]))",
    )

    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 0.5
    assert store == "cache"


def test_media_stay_on_local_disk_without_a_bucket():
    backend = settings_with({}, "print(json.dumps(s.STORAGES['default']['BACKEND']))")

    assert backend == "django.core.files.storage.FileSystemStorage"


def test_bucket_name_moves_media_to_s3_served_from_its_domain():
    env = {"AWS_STORAGE_BUCKET_NAME": "site-media", "AWS_S3_CUSTOM_DOMAIN": "media.example.com"}
    url, csp_img = settings_with(
        env,
        "import django; from django.conf import settings\n"
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'site_project.settings.dev'\n"
        "django.setup()\n"
        "from django.core.files.storage import default_storage\n"
        "print(json.dumps([default_storage.url('images/chart.png'), s.CSP_EXTRA_IMG_SRC]))",
    )

    assert url == "https://media.example.com/images/chart.png"
    assert csp_img == ["https://media.example.com"]


def test_s3_compatible_endpoint_is_used_for_media_urls():
    env = {
        "AWS_STORAGE_BUCKET_NAME": "site-media",
        "AWS_S3_ENDPOINT_URL": "https://objects.example.net",
        "AWS_ACCESS_KEY_ID": "test-key-id",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
    }
    url = settings_with(
        env,
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'site_project.settings.dev'\n"
        "django.setup()\n"
        "from django.core.files.storage import default_storage\n"
        "print(json.dumps(default_storage.url('documents/report.pdf')))",
    )

    # Private objects: a signed URL on the configured endpoint, for that bucket.
    assert url.startswith("https://objects.example.net/site-media/documents/report.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url


def test_frontend_cache_is_off_without_a_cdn_variable():
    apps, config = settings_with(
        {}, "print(json.dumps([s.INSTALLED_APPS, s.WAGTAILFRONTENDCACHE]))"
    )

    assert "wagtail.contrib.frontend_cache" not in apps
    assert config == {}


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"FRONTEND_CACHE_PURGE_URL": "http://varnish.internal:6081"}, "HTTPBackend"),
        (
            {"CLOUDFLARE_ZONE_ID": "zone", "CLOUDFLARE_API_TOKEN": "token"},
            "CloudflareBackend",
        ),
        ({"CLOUDFRONT_DISTRIBUTION_ID": "E123"}, "CloudfrontBackend"),
    ],
)
def test_a_cdn_variable_turns_on_purge_on_publish(env, backend):
    apps, config = settings_with(
        env, "print(json.dumps([s.INSTALLED_APPS, s.WAGTAILFRONTENDCACHE]))"
    )

    assert "wagtail.contrib.frontend_cache" in apps
    [only] = config.values()
    assert only["BACKEND"].endswith(backend)


def test_search_stays_on_the_database_without_a_search_url():
    backend = settings_with({}, "print(json.dumps(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']))")

    assert "elasticsearch" not in backend and "opensearch" not in backend


def test_search_url_moves_search_to_opensearch_or_elasticsearch():
    opensearch = settings_with(
        {"SEARCH_BACKEND_URL": "https://search.internal:9200", "SEARCH_BACKEND": "opensearch3"},
        "print(json.dumps(s.WAGTAILSEARCH_BACKENDS['default']))",
    )
    elastic = settings_with(
        {"SEARCH_BACKEND_URL": "https://es.internal:9200"},
        "print(json.dumps(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']))",
    )

    assert opensearch["BACKEND"] == "modelsearch.backends.opensearch3"
    assert opensearch["URLS"] == ["https://search.internal:9200"]
    assert elastic == "modelsearch.backends.elasticsearch9"


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_PURGE(self):
        self.seen.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    PurgeRecorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_purge_for_a_page_reaches_an_http_cdn_for_its_url(index, settings, purge_server):
    port = purge_server.server_address[1]
    settings.WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
        }
    }
    post = factories.make_post(index, slug="purged-post")

    purge_page_from_cache(post)

    assert ("localhost", "/posts/purged-post/") in PurgeRecorder.seen


def gunicorn_config(env):
    ours = ("WEB_CONCURRENCY", "PORT", "HOST", "GUNICORN_MAX_REQUESTS")
    keys = ("bind", "workers", "timeout", "accesslog", "max_requests", "max_requests_jitter")
    code = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py'); "
        f"print(json.dumps({{k: c[k] for k in {keys!r}}}))"
    )
    return json.loads(output(code, env, drop=ours))


def test_gunicorn_workers_come_from_web_concurrency_or_the_core_count():
    assert gunicorn_config({"WEB_CONCURRENCY": "7"})["workers"] == 7
    assert gunicorn_config({})["workers"] == os.cpu_count() * 2 + 1


def test_gunicorn_binds_host_and_port_logs_to_stdout_with_a_timeout():
    config = gunicorn_config({"HOST": "127.0.0.1", "PORT": "8399"})

    assert config["bind"] == "127.0.0.1:8399"
    assert config["accesslog"] == "-"
    assert 0 < config["timeout"] <= 60


def test_gunicorn_recycles_workers_only_when_asked():
    # A recycled worker starts with empty local caches: off unless GUNICORN_MAX_REQUESTS is set.
    assert gunicorn_config({})["max_requests"] == 0
    config = gunicorn_config({"GUNICORN_MAX_REQUESTS": "20000"})
    assert (config["max_requests"], config["max_requests_jitter"]) == (20000, 2000)
