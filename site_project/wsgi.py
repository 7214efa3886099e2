"""WSGI entry point; gunicorn serves `site_project.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings.production")

django_application = get_wsgi_application()

# Anonymous page cache hits are answered in front of Django's handler (serving/page_cache.py).
from serving.page_cache import PageCacheApplication  # noqa: E402

application = PageCacheApplication(django_application)
