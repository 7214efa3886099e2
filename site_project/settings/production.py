"""Production: everything secret or host-specific comes from the environment, or start-up fails.

Only what differs from base.py is here: the required variables and what needs HTTPS.
`manage.py check --deploy` passes with no warning.
"""

import os

from .base import *  # noqa: F403
from .base import env_list, require_env

SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require_env("ALLOWED_HOSTS")]
# The links in password-reset and moderation mails are built from it: never a default host.
WAGTAILADMIN_BASE_URL = require_env("WAGTAILADMIN_BASE_URL")

# TLS ends at the load balancer; gunicorn trusts its X-Forwarded-Proto from the addresses in
# FORWARDED_ALLOW_IPS (see gunicorn.conf.py). SECURE_SSL_REDIRECT=false only for a trial on
# plain HTTP.
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() not in ("0", "false")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview views set SAMEORIGIN for themselves; nothing else may be framed.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
