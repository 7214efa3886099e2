"""Production: everything secret or host-specific comes from the environment, or start-up fails."""

from .base import *  # noqa: F403
from .base import env_list, require_env

DEBUG = False
SECRET_KEY = require_env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [require_env("ALLOWED_HOSTS")]
