"""Settings (site_project/settings/): read from the environment, each switch turning on by
environment alone (docs/DEPLOYMENT.md); production secure and refusing to start without its
secrets.

Settings are imported in a subprocess with their environment set, as a server would start them.
"""

import http.server
import json
import secrets
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

from site_project.settings.base import email_from_url
from tests import factories
from tests.isolated import ROOT, inherited_secrets, output, run, run_production

# --- Production --------------------------------------------------------------------------------


def run_check(env):
    env = {
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "WAGTAILADMIN_BASE_URL": "https://example.com",
        **env,
    }
    return run(["manage.py", "check"], env, drop=("SECRET_KEY", "ALLOWED_HOSTS"))


def test_production_refuses_to_start_without_secret_key():
    result = run_check({"ALLOWED_HOSTS": "example.com"})

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check({"SECRET_KEY": "x" * 50})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_production_refuses_to_start_without_the_admin_base_url():
    result = run_check(
        {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com", "WAGTAILADMIN_BASE_URL": ""}
    )

    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL is required" in result.stderr


def test_production_starts_with_its_variables():
    result = run_check({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.com"})

    assert result.returncode == 0, result.stderr


def test_deploy_checklist_has_no_warnings():
    env = {
        "DJANGO_SETTINGS_MODULE": "site_project.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        "WAGTAILADMIN_BASE_URL": "https://example.com",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "SITE_URL": "https://example.com",
    }
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(check, env, drop=inherited_secrets(), timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_pages_carry_the_security_headers(tmp_path):
    headers = run_production(
        """
        from django.test import Client
        response = Client().get("/search/", secure=True, HTTP_HOST="example.com")
        print(json.dumps({"status": response.status_code, **dict(response.items())}))
        """,
        tmp_path,
    )

    assert headers["status"] == 200
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"


def test_production_redirects_plain_http_to_https(tmp_path):
    result = run_production(
        """
        from django.test import Client
        response = Client().get("/posts/", HTTP_HOST="example.com")
        print(json.dumps([response.status_code, response["Location"]]))
        """,
        tmp_path,
    )

    assert result == [301, "https://example.com/posts/"]


def test_production_cookies_are_secure_and_http_only(tmp_path):
    flags = run_production(
        """
        from django.conf import settings as s
        print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,
                          s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.DEBUG]))
        """,
        tmp_path,
    )

    assert flags == [True, True, True, True, False]


# --- Database ----------------------------------------------------------------------------------


def database_setting(env):
    code = "from site_project.settings import dev; d = dev.DATABASES['default']; "
    code += "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], "
    code += "repr(d.get('OPTIONS', {}).get('options')))"
    return output(code, env, drop=("DATABASE_URL",)).split(maxsplit=3)


def test_database_defaults_to_sqlite_under_var():
    engine, name, _, _ = database_setting({})

    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "var" / "db.sqlite3")


def test_database_url_selects_postgresql_with_persistent_connections():
    engine, name, max_age, options = database_setting(
        {"DATABASE_URL": "postgres://u@db.example:5432/site"}
    )

    assert engine == "django.db.backends.postgresql"
    assert name == "site"
    assert max_age == "60"
    # Page reads priced for SSDs (search relies on it to use its GIN index).
    assert options.strip() == "'-c random_page_cost=1.1'"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_connections_price_page_reads_for_ssds():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_postgresql_startup_options_can_be_turned_off_for_a_pooler():
    *_, options = database_setting(
        {"DATABASE_URL": "postgres://u@db.example:5432/site", "DATABASE_PG_OPTIONS": ""}
    )

    assert options.strip() == "None"


# --- Scale-out switches: cache, media, CDN purge, search ---------------------------------------


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
    "CSP_REPORT_ONLY",
    "CSP_REPORT_URI",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "TASKS_BACKEND",
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
        "print(json.dumps([default_storage.url('images/chart.png'),"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))",
    )

    assert url == "https://media.example.com/images/chart.png"
    assert csp_img == ["'self'", "data:", "https://media.example.com"]


def test_the_policy_is_enforced_unless_report_only_is_asked_for():
    code = (
        "print(json.dumps([getattr(s, name, None) for name in"
        " ('CONTENT_SECURITY_POLICY', 'CONTENT_SECURITY_POLICY_REPORT_ONLY')]))"
    )
    enforced, reported = settings_with({}, code)
    assert reported is None
    assert enforced["DIRECTIVES"]["script-src"] == ["'self'"]
    assert "report-uri" not in enforced["DIRECTIVES"]

    env = {"CSP_REPORT_ONLY": "true", "CSP_REPORT_URI": "https://reports.example.com/csp"}
    enforced, reported = settings_with(env, code)
    assert enforced is None
    assert reported["DIRECTIVES"]["script-src"] == ["'self'"]
    assert reported["DIRECTIVES"]["report-uri"] == ["https://reports.example.com/csp"]


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


# --- E-mail -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mailer:s%40cret@mail.example.com:2525",
            ("mail.example.com", 2525, "mailer", "s@cret", False, False),
        ),
        ("smtp+tls://u:p@smtp.example.com", ("smtp.example.com", 587, "u", "p", True, False)),
        ("smtp+ssl://u:p@smtp.example.com", ("smtp.example.com", 465, "u", "p", False, True)),
        ("smtp://relay.internal", ("relay.internal", 25, "", "", False, False)),
    ],
)
def test_email_url_configures_smtp(url, expected):
    email = email_from_url(url)

    assert email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert expected == tuple(
        email[name]
        for name in (
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "EMAIL_USE_TLS",
            "EMAIL_USE_SSL",
        )
    )


def test_email_url_console_prints_mail():
    assert email_from_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "nonsense"])
def test_an_unknown_email_url_stops_start_up(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_from_url(url)


def test_development_prints_mail_without_email_url():
    backend, sender = settings_with(
        {}, "print(json.dumps([s.EMAIL_BACKEND, s.DEFAULT_FROM_EMAIL]))"
    )

    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert sender == "webmaster@localhost"


def test_email_settings_come_from_the_environment():
    host, tls, sender = settings_with(
        {
            "EMAIL_URL": "smtp+tls://u:p@smtp.example.com:587",
            "DEFAULT_FROM_EMAIL": "site@example.org",
        },
        "print(json.dumps([s.EMAIL_HOST, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL]))",
    )

    assert (host, tls, sender) == ("smtp.example.com", True, "site@example.org")


# --- Background tasks ------------------------------------------------------------------------


def task_backend(module, env):
    code = f"from site_project.settings import {module} as s; "
    code += "print(s.TASKS['default']['BACKEND'])"
    return output(code, env, drop=("TASKS_BACKEND",)).strip()


def test_deployed_settings_queue_tasks_in_the_database_for_the_worker():
    assert task_backend("base", {}) == "django_tasks_db.DatabaseBackend"


def test_development_runs_tasks_where_they_are_enqueued_unless_told_otherwise():
    assert task_backend("dev", {}) == "django_tasks.backends.immediate.ImmediateBackend"
    assert task_backend("dev", {"TASKS_BACKEND": "database"}) == "django_tasks_db.DatabaseBackend"


def test_an_unknown_task_backend_stops_start_up_naming_the_variable():
    result = run(["-c", "import site_project.settings.base"], {"TASKS_BACKEND": "celery"})

    assert result.returncode != 0
    assert "TASKS_BACKEND='celery' is not one of database, immediate" in result.stderr
