"""The reader's language, from the URL and nothing else.

Django's LocaleMiddleware falls back on the session, a cookie or the browser's Accept-Language
for URLs without a language prefix, and marks every such response `Vary: Accept-Language`. Here
the default language has no prefix (site_project/urls.py), so an unprefixed URL is always in the
default language: the same page for every browser, which the page cache may keep once
(serving/page_cache.py stores nothing that varies on more than Cookie), and no redirect.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
