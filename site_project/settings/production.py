"""Production: everything secret or host-specific comes from the environment, or start-up fails."""

from .base import *  # noqa: F403
from .base import env_list, require_env

DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require_env("ALLOWED_HOSTS")]

# --- Hardening (issue 7): cookies travel over HTTPS only; the rest lives in base.py's block ---
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# --- end of hardening block ---
