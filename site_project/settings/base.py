"""Settings shared by every environment: secure by default, configured from the environment.

Each setting is assigned once, in the section of its concern, with the environment variable that
changes it beside it. `.env.example` lists every variable; dev.py, test.py and production.py
change only what differs.
"""

import datetime
import os
import urllib.parse
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def require_env(name):
    """The value of a required environment variable, or a start-up error that names it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required with these settings; "
            "see .env.example and README.md."
        )
    return value


# --- Core ----------------------------------------------------------------------------------------

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
ROOT_URLCONF = "site_project.urls"
WSGI_APPLICATION = "site_project.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A compilation's StreamField posts several fields per entry: its edit form holds thousands.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

TIME_ZONE = "UTC"
USE_TZ = True

# --- Languages (translations/) -------------------------------------------------------------------
# The site's languages, for content (Wagtail locales) and interface alike; the first is the
# default, served at the unprefixed URLs, the others under /<code>/ (site_project/urls.py).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LANGUAGE_CODE = LANGUAGES[0][0]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
# The site's own interface strings (locale/<code>/LC_MESSAGES/django.po, compiled .mo beside it).
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- CDN purge on publish (Wagtail's frontend cache) ---------------------------------------------
# Off unless one of these is set: an HTTP PURGE endpoint (Varnish and friends), Cloudflare or
# CloudFront. The app is installed only when a backend is configured.
WAGTAILFRONTENDCACHE = {
    **(
        {
            "http": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
            }
        }
        if os.environ.get("FRONTEND_CACHE_PURGE_URL")
        else {}
    ),
    **(
        {
            "cloudflare": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
                "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
                "BEARER_TOKEN": require_env("CLOUDFLARE_API_TOKEN"),
            }
        }
        if os.environ.get("CLOUDFLARE_ZONE_ID")
        else {}
    ),
    **(
        {
            "cloudfront": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
                "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"],
            }
        }
        if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID")
        else {}
    ),
}

# --- Applications --------------------------------------------------------------------------------

INSTALLED_APPS = [
    # The site's own apps: the content model, then one app per capability.
    "home",
    "blog",
    "search",
    "linkhealth",
    "freshness",
    "changes",
    "suggestions",
    "markdown_io",
    "editorial",
    "backups",
    "subscriptions",
    "translations",
    "wagtail_localize",
    "wagtail_localize.locales",  # in place of wagtail.locales: the same admin, with sync options
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",  # promoted results and the search terms report
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmarkdown",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",  # sign-in throttling (see Sign-in below)
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "django_tasks_db",  # the task queue in the database, run by `manage.py db_worker`
    "csp",  # its system checks catch outdated or unsafe CSP settings
    # Production serving: its signal handlers bump the content version on every change.
    "serving",
    *(["wagtail.contrib.frontend_cache"] if WAGTAILFRONTENDCACHE else []),
]

# --- Middleware ----------------------------------------------------------------------------------
# /healthz and cached anonymous pages are answered first, before sessions, auth or URL resolving
# (serving/); the CSP header and the route cache sit innermost.
MIDDLEWARE = [
    "serving.health.HealthCheckMiddleware",
    "serving.page_cache.PageCacheMiddleware",
    # Which database this request reads from; removes itself without a replica (serving/replica.py).
    "serving.replica.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL prefix alone, never from the browser (translations/middleware.py).
    "translations.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Cross-origin reads of the API for the origins API_CORS_ALLOWED_ORIGINS names (their
    # preflight is answered before the 405 for OPTIONS below).
    "site_project.api.ApiCorsMiddleware",
    # NUL bytes and over-long URLs get 400, writes to public pages 405.
    "serving.public_requests.PublicRequestMiddleware",
    # Turns a locked-out sign-in into its lockout page; after everything that may answer first.
    "axes.middleware.AxesMiddleware",
    # Malformed admin form data gets 400; a Publish racing a new page's autosave publishes it.
    "editorial.admin_requests.AdminEditRequestMiddleware",
    "serving.security.ContentSecurityPolicyMiddleware",
    "serving.routing.RouteCacheMiddleware",
    # With DEBUG on, the site's own 404 page instead of Django's inline-styled one.
    "serving.errors.NotFoundPageMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
# DATABASE_URL names the database; embedded SQLite under var/ by default.


def _database(url=None):
    database = dj_database_url.parse(
        url or os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Persistent connections buy nothing for a file database and keep it locked longer.
        database["CONN_MAX_AGE"] = 0
        # Take the write lock when a transaction starts, and wait for it. With SQLite's default
        # (deferred) transactions, publishing while the editor's live preview saves its data
        # fails at once with "database is locked" instead of waiting its turn.
        options.update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    elif database["ENGINE"].startswith("django.db.backends.postgresql"):
        # PostgreSQL's default random_page_cost (4.0) prices a page read as a spinning disk's
        # seek. On SSDs, or with the working set in memory, 1.1 is the usual setting; at 4.0 the
        # planner reads the whole search index rather than the rows its GIN index finds
        # (docs/PERFORMANCE.md, search section). Sent per connection so that it needs no
        # privilege on the server; set DATABASE_PG_OPTIONS="" where a pooler (PgBouncer in
        # transaction mode) refuses startup options, and set it on the database instead.
        pg_options = os.environ.get("DATABASE_PG_OPTIONS", "-c random_page_cost=1.1")
        if pg_options:
            options.setdefault("options", pg_options)
    return database


# DATABASE_REPLICA_URL: a streaming replica (PostgreSQL hot standby) of that database. Reads of
# anonymous public pages, search, feeds and the API go to it while it is up, within
# REPLICA_MAX_LAG_SECONDS and has replayed the last publish; everything else goes to the primary
# (serving/replica.py). Unset: one database, no router.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASES = {"default": _database()}
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **_database(DATABASE_REPLICA_URL),
        # Tests point the alias at the default database rather than creating a second one.
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 1
DATABASE_ROUTERS = ["serving.replica.ReplicaRouter"] if DATABASE_REPLICA_URL else []
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))

# --- Cache and content version -------------------------------------------------------------------
# REDIS_URL: the cache shared by every worker and host. Without it, local memory per process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # Wagtail reads the cache on every request: a Redis outage must degrade to
                # "no cache", never to a 500.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
            "KEY_PREFIX": "site",
        }
        if REDIS_URL
        else {
            # Routes, fragments and pages for a few thousand URLs (Django's default keeps 300
            # entries, which a site of this size outgrows at once).
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    )
}
# Swallowed Redis errors are logged (once per half minute, see LOGGING).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# The content version must be visible to every process: in Redis when there is one, otherwise
# in a file that every gunicorn worker on this host reads (local-memory caches are per process).
CONTENT_VERSION_STORE = (
    "cache"
    if REDIS_URL
    else os.environ.get("CONTENT_VERSION_FILE", str(BASE_DIR / "var" / "content-version"))
)

# --- Page cache ----------------------------------------------------------------------------------
# Seconds a whole page is kept for anonymous readers (0 turns the page cache off). Publishing
# invalidates at once, whatever this says; it only bounds staleness if Redis loses a write.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Cached pages tell browsers to keep them this long (max-age) and shared caches, a CDN,
# PAGE_CACHE_SECONDS (s-maxage); after that a revalidation costs a 304 (serving/stored_pages.py).
# Short, because a browser keeps its copy whatever is published meanwhile.
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
# For this many seconds after a publish, readers of other pages get the page cached before it
# while one request renders the new one (serving/stale_pages.py); the changed page itself, and
# anything after an unpublish, move or restriction, is never served stale. 0 turns it off.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "10"))
# Bytes of page bodies each worker keeps for the current content version (serving/page_cache.py).
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
# The query parameters the site's pages read (listing filters and pages, search form, sitemap
# pages); any other parameter is answered from the page without it. Under these prefixes (the
# API) every parameter changes the answer and enters the key.
PAGE_CACHE_QUERY_PARAMS = frozenset({"page", "topic", "tag", "sort", "group", "q", "p"})
PAGE_CACHE_FULL_QUERY_PREFIXES = ("/api/",)
# Pages one client address may add to the cache per PAGE_CACHE_SECONDS (0: no limit); beyond it
# its pages are served, not stored, so no one client can fill the cache.
PAGE_CACHE_STORES_PER_CLIENT = int(os.environ.get("PAGE_CACHE_STORES_PER_CLIENT", "200"))

# --- Security ------------------------------------------------------------------------------------
# production.py adds what needs HTTPS (Secure cookies, HSTS, the SSL redirect).

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Sessions live in the database so that losing the cache never logs editors out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF cookie is not readable from JavaScript either: Wagtail's admin takes the token from
# the page.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in throttling (django-axes, editorial/signin.py) ---------------------------------------
# Every password is checked by django-axes first: an account is locked after 20 failures and an
# address after 50, counted over the cool-off window, and stays locked until 15 minutes after
# its last failure. Other accounts and other addresses keep working. `manage.py axes_reset`
# lifts every lockout at once. AxesBackend (not the standalone one) also loads users, so a
# session created by force_login in tests, which records the first backend, still works.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "editorial.signin.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 20  # per account; the per-address limit is LOGIN_FAILURE_LIMIT_PER_IP
LOGIN_FAILURE_LIMIT_PER_IP = 50
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
# Not reset on success: one good login from an address would otherwise wipe the failures counted
# against other accounts from that address.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "editorial.signin.lockout_response"
AXES_VERBOSE = False  # no start-up banner; lockouts are still logged as warnings
# TRUSTED_PROXY_COUNT: behind a load balancer every request comes from the balancer's address;
# name the number of trusted proxies in front of the app so the client's own address
# (X-Forwarded-For) is counted.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "editorial.signin.client_ip"
# Wrong passwords for a password-protected page or document (editorial/page_passwords.py):
# counted per address and per page, with the cool-off of sign-in; past either limit even the
# right password waits.
PROTECTED_PASSWORD_LIMIT_PER_IP = 10
PROTECTED_PASSWORD_LIMIT_PER_RESTRICTION = 100
# Password reset (editorial/password_reset.py): the mail goes out from a background task, and
# requests are limited per client address and per e-mail address asked for, per window.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "editorial.password_reset.PasswordResetForm"  # noqa: S105
PASSWORD_RESET_LIMIT_PER_IP = 10
PASSWORD_RESET_LIMIT_PER_ACCOUNT = 3
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

# --- Static files and media ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# AWS_STORAGE_BUCKET_NAME: media (images, documents) in S3 or any S3-compatible store, through
# django-storages; AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME and AWS_S3_CUSTOM_DOMAIN go with it.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "")
# BACKUP_BUCKET: `manage.py backup` also uploads each backup (and its uploads archive) to this
# bucket, under backups/, with the same endpoint and region as the media.
BACKUP_BUCKET = os.environ.get("BACKUP_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "endpoint_url": AWS_S3_ENDPOINT_URL or None,
                "custom_domain": AWS_S3_CUSTOM_DOMAIN or None,
                # Uploads never replace each other; objects are private unless a CDN domain
                # serves them, in which case URLs are plain (no signature).
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": not AWS_S3_CUSTOM_DOMAIN,
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Backups uploaded to object storage too, when BACKUP_BUCKET is set.
    **(
        {
            "backups": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BACKUP_BUCKET,
                    "location": "backups",
                    "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                    "endpoint_url": AWS_S3_ENDPOINT_URL or None,
                    "file_overwrite": False,
                    "default_acl": None,
                },
            }
        }
        if BACKUP_BUCKET
        else {}
    ),
}
# --- Content-Security-Policy (django-csp; the admin's exceptions in serving/security.py) ---------
# Scripts, styles and everything else from our own origin only, never inline; images also from
# the media's origin when media are in object storage. CSP_REPORT_ONLY=true sends the same policy
# as Content-Security-Policy-Report-Only (browsers report, block nothing) to try a change first;
# CSP_REPORT_URI is where browsers send their reports.
_csp_directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": [
        "'self'",
        "data:",
        *(
            [
                f"https://{AWS_S3_CUSTOM_DOMAIN}"
                if AWS_S3_CUSTOM_DOMAIN
                else (AWS_S3_ENDPOINT_URL or "https://*.amazonaws.com")
            ]
            if AWS_STORAGE_BUCKET_NAME
            else []
        ),
    ],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    **({"report-uri": [os.environ["CSP_REPORT_URI"]]} if os.environ.get("CSP_REPORT_URI") else {}),
}
if os.environ.get("CSP_REPORT_ONLY", "false").lower() in ("1", "true"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}

# --- Search --------------------------------------------------------------------------------------
# PostgreSQL full-text search on PostgreSQL, SQLite FTS5 on the embedded default; both are
# modelsearch backends keeping their index in the same database. SEARCH_BACKEND_URL moves search
# to an external engine once one database is not enough: SEARCH_BACKEND names it
# (elasticsearch9 by default, or elasticsearch8, opensearch3...), whose Python client must be
# installed; those take INDEX_PREFIX, not INDEX.
WAGTAILSEARCH_BACKENDS = {
    "default": (
        {
            "BACKEND": "modelsearch.backends." + os.environ.get("SEARCH_BACKEND", "elasticsearch9"),
            "URLS": env_list("SEARCH_BACKEND_URL"),
            "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", "site_"),
            "TIMEOUT": 5,
        }
        if os.environ.get("SEARCH_BACKEND_URL")
        else {
            "BACKEND": (
                "search.backends"
                if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
                else "modelsearch.backends.database.sqlite.sqlite"
            ),
            "SEARCH_CONFIG": "english",
            # PostgreSQL only (search/backends.py): pages in these languages are stemmed, and
            # searched from their URL prefix, in their own configuration. SQLite's FTS5 index
            # does no stemming in any language.
            "LANGUAGE_CONFIGS": {"fr": "french"},
        }
    )
}

# --- Background tasks (django-tasks) -------------------------------------------------------------
# TASKS_BACKEND=database (the default): a task waits in the database until `manage.py db_worker`
# runs it (make serve, make cluster and the image's worker role run one), so a link check, a
# password-reset mail or Wagtail's search and reference indexing never hold the request that
# asked for them. immediate: each task runs where it is enqueued, with nothing else to start
# (make run and the tests).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_setting(default):
    """TASKS for the backend TASKS_BACKEND names, `default` when it is unset."""
    name = os.environ.get("TASKS_BACKEND", "").strip() or default
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND={name!r} is not one of {', '.join(TASK_BACKENDS)}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_setting("database")

# --- Link health (linkhealth/) -------------------------------------------------------------------
# The link checker never connects to an address inside the network (private, loopback,
# link-local and cloud metadata addresses) unless it is listed here: networks ("10.0.0.0/8")
# or host names, comma-separated in LINKHEALTH_ALLOWED_NETWORKS. `check_links --mirror URL`
# allows its mirror itself.
LINKHEALTH_ALLOWED_NETWORKS = env_list("LINKHEALTH_ALLOWED_NETWORKS")
# No check starts once a run has taken this long (seconds); those in flight finish.
LINKHEALTH_MAX_RUN_SECONDS = int(os.environ.get("LINKHEALTH_MAX_RUN_SECONDS", "300"))

# --- E-mail subscriptions (subscriptions/) --------------------------------------------------------
# Seconds a confirmation link works; an address not confirmed by then is forgotten.
SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS = int(
    os.environ.get("SUBSCRIBE_CONFIRM_MAX_AGE_SECONDS", str(3 * 24 * 60 * 60))
)
# Subscription forms each client address may send per minute (0: no limit); beyond it, 429.
SUBSCRIBE_REQUESTS_PER_MINUTE = int(os.environ.get("SUBSCRIBE_REQUESTS_PER_MINUTE", "5"))
# Confirmation mails one e-mail address may be sent per day (0: no limit); beyond it the form
# answers as usual and sends nothing, so it cannot flood an inbox.
SUBSCRIBE_CONFIRMATIONS_PER_ADDRESS = int(
    os.environ.get("SUBSCRIBE_CONFIRMATIONS_PER_ADDRESS", "3")
)
# A newsletter mail claimed by a run that died before sending it is sent by a later run once
# its claim is this many minutes old.
NEWSLETTER_RETRY_MINUTES = int(os.environ.get("NEWSLETTER_RETRY_MINUTES", "30"))

# --- E-mail --------------------------------------------------------------------------------------
# EMAIL_URL: how mail leaves (password resets, moderation notices). smtp://user:pass@host:587
# (plain SMTP), smtp+tls://... (STARTTLS), smtp+ssl://... (TLS from the first byte, usually port
# 465), console:// (printed to the log; the default, for development). The user name and
# password are percent-decoded, so a password may hold any character.
EMAIL_SCHEMES = {
    "smtp": (False, False),
    "smtp+tls": (True, False),
    "smtp+ssl": (False, True),
}


def email_from_url(url):
    """Django's e-mail settings for an EMAIL_URL, as a dict; ImproperlyConfigured if unknown."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in EMAIL_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must be smtp://, smtp+tls://, smtp+ssl:// or console:// with a host, "
            f"not {parts.scheme!r}."
        )
    use_tls, use_ssl = EMAIL_SCHEMES[parts.scheme]
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": urllib.parse.unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": urllib.parse.unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


_email = email_from_url(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
# DEFAULT_FROM_EMAIL: the sender of every mail the site sends.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# Searches and search suggestions (/search/suggest/, as the visitor types) each client address
# may ask for per minute (0: no limit); beyond it they get 429 with Retry-After. Counted in the
# cache; the address as TRUSTED_PROXY_COUNT says.
SEARCH_REQUESTS_PER_MINUTE = int(os.environ.get("SEARCH_REQUESTS_PER_MINUTE", "30"))
SUGGEST_REQUESTS_PER_MINUTE = int(os.environ.get("SUGGEST_REQUESTS_PER_MINUTE", "120"))
# Seconds a page of search results is kept for anonymous readers, per content version and query
# (0: rendered for every request). Bounded because the search index follows a publish a moment
# later, through the task worker.
SEARCH_RESULTS_SECONDS = int(os.environ.get("SEARCH_RESULTS_SECONDS", "60"))
# Entries readers may suggest for a compilation from one address per hour (0: no limit); beyond
# it they get a 429 page. Counted like the search limits.
SUGGESTIONS_PER_HOUR = int(os.environ.get("SUGGESTIONS_PER_HOUR", "10"))

# --- API -----------------------------------------------------------------------------------------
# API_CORS_ALLOWED_ORIGINS: origins ("https://app.example.com") whose pages may read /api/v2/ from
# the browser (site_project/api.py); none by default, so other sites' scripts cannot read it.
API_CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
# Seconds browsers and shared caches may keep an API answer (its Cache-Control max-age).
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "60"))

# --- Wagtail -------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Django at Scale"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# SITE_URL: the public origin (scheme, host, port) absolute URLs are built from. After each
# migrate the default Wagtail Site takes its host name and port (serving/site_url.py), so
# previews and "view draft" go there; the API's URLs start with it. Production warns while it
# names a local host.
SITE_URL = (
    os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: the admin would send a hash of each editor's email address to another host, which
# the admin's Content-Security-Policy blocks anyway; Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# Uploads: no SVG (it can carry script); size and pixel limits keep renditions affordable.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Documents are always downloaded, never shown inline, and always pass through Django (so
# privacy settings and the nosniff header apply), whatever the storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []

# Markdown: headings get ids (the table of contents links to them); nh3 sanitises the output and
# keeps only presentational markup: no style attributes (they can overlay the page or fake the
# admin), no data: or javascript: URLs (nh3 drops every scheme not listed), and ids only where
# the table of contents and footnotes need them.
WAGTAILMARKDOWN = {
    "extensions": ["toc"],
    # Indented code stays plain pre/code here; blog/rendering.py puts it in the code box.
    "extension_configs": {
        "toc": [("permalink", False)],
        "codehilite": [("use_pygments", False), ("guess_lang", False)],
    },
    # The editor's toolbar icons come from static/css/admin-markdown.css, not a CDN.
    "autodownload_fontawesome": False,
    "allowed_settings_mode": "override",
    "allowed_styles": [],
    "allowed_attributes": {
        "*": ["class"],
        **{tag: ["id"] for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "sup", "li")},
        "a": ["href", "title"],
        "img": ["src", "alt", "title"],
        "th": ["rowspan", "colspan", "scope"],
        "td": ["rowspan", "colspan", "align"],
    },
}

# --- API -----------------------------------------------------------------------------------------
# Read-only and public; JSON only (no browsable HTML forms).
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
WAGTAILAPI_LIMIT_MAX = 50

# --- Version freshness report (freshness/) -------------------------------------------------------
# PACKAGE_INDEX_URL: the Python package index's JSON API (`<url>/<package>/json`); the tests
# point it at a local server. Answers are kept for FRESHNESS_MAX_AGE_HOURS before asking again.
FRESHNESS_INDEX_URL = os.environ.get("PACKAGE_INDEX_URL", "https://pypi.org/pypi")
FRESHNESS_MAX_AGE_HOURS = int(os.environ.get("FRESHNESS_MAX_AGE_HOURS", "24"))

# --- Logging -------------------------------------------------------------------------------------
# LOG_LEVEL: the root level (INFO by default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "once_per_interval": {"()": "serving.logfilters.OncePerInterval", "seconds": 30},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task state change is noise at INFO; failures still show.
        "django_tasks": {"level": "WARNING"},
        # One line per half minute while Redis is down, not one per request.
        "django_redis.cache": {"level": "ERROR", "filters": ["once_per_interval"]},
    },
}
