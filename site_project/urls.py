from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from blog import views as blog_views
from blog.feeds import (
    AtomPostsFeed,
    AtomTagFeed,
    AtomTopicFeed,
    PostsFeed,
    TagFeed,
    TopicFeed,
)
from blog.sitemaps import SITEMAPS
from editorial.page_passwords import throttle_passwords
from editorial.password_reset import throttled_password_reset
from search import views as search_views
from site_project.api import api_router

urlpatterns = [
    # The admin's password reset, throttled; before the admin's URLs so that it answers first.
    path("admin/password_reset/", throttled_password_reset, name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for protected pages and documents, with wrong guesses throttled;
    # before Wagtail's own URLs so that these answer first.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        throttle_passwords(wagtaildocs_serve.authenticate_with_password, "document"),
        name="wagtaildocs_authenticate_with_password",
    ),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttle_passwords(wagtail_views.authenticate_with_password, "page"),
        name="wagtailcore_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    # Share images, sitemap, robots.txt and the read-only API.
    path("share/logo.png", blog_views.share_logo, name="share_logo"),
    path("share/<int:page_id>.png", blog_views.share_image, name="share_image"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", blog_views.robots_txt, name="robots_txt"),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Feeds, archives, search and pages in each language: the default one at today's URLs, the
# others under /<language>/ (LANGUAGES; translations/middleware.py reads the prefix).
urlpatterns += i18n_patterns(
    path("feed/", PostsFeed(), name="feed"),
    path("feed/atom/", AtomPostsFeed(), name="feed_atom"),
    path("topics/<slug:slug>/", blog_views.topic_archive, name="topic_archive"),
    path("topics/<slug:slug>/feed/", TopicFeed(), name="topic_feed"),
    path("topics/<slug:slug>/feed/atom/", AtomTopicFeed(), name="topic_feed_atom"),
    path("tags/<slug:slug>/", blog_views.tag_archive, name="tag_archive"),
    path("tags/<slug:slug>/feed/", TagFeed(), name="tag_feed"),
    path("tags/<slug:slug>/feed/atom/", AtomTagFeed(), name="tag_feed_atom"),
    # The site's scripts' words in the reader's language (locale/<code>/LC_MESSAGES/djangojs.po);
    # pages in the default language do not load it.
    path(
        "jsi18n/",
        cache_control(public=True, max_age=60 * 60)(JavaScriptCatalog.as_view(domain="djangojs")),
        name="javascript_catalog",
    ),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    # The subscription form in the reader's language; the mails' links are built in the default
    # language (subscriptions/mails.py), so they carry no prefix.
    path("subscribe/", include("subscriptions.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# A lost database connection answers 503 with Retry-After; any other error the 500 page.
handler500 = "serving.errors.server_error"
