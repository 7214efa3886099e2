"""SITE_URL, the public origin (e.g. https://example.org), as the default Wagtail Site.

Wagtail builds every absolute URL of a page (preview, "view live", "view draft", feeds, sitemap)
from its Site's host name and port. Those live in the database, so they are set from SITE_URL
after each `migrate` (a deploy runs it) and when the seed creates the Site: the same value every
time, so running it again changes nothing. Production warns while SITE_URL names a local host.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def site_address(url):
    """(host name, port) of `url`, the port from the scheme when the URL names none."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or DEFAULT_PORTS.get(parts.scheme, 80)


def sync_default_site(using="default"):
    """Give the default Site SITE_URL's host name and port; True when that changed anything."""
    from wagtail.models import Site

    url = getattr(settings, "SITE_URL", "")
    if not url:
        return False
    hostname, port = site_address(url)
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return True


def on_post_migrate(sender, app_config, using="default", **kwargs):
    if app_config.label == "wagtailcore":
        sync_default_site(using)


def check_site_url(app_configs, **kwargs):
    """Production (DEBUG off) should not build its public links to a local host."""
    url = getattr(settings, "SITE_URL", "")
    if settings.DEBUG or site_address(url)[0] not in LOCAL_HOSTS:
        return []
    return [
        checks.Warning(
            f"SITE_URL is {url!r}: links in previews, feeds, the sitemap and the API point at "
            "this machine.",
            hint="Set SITE_URL to the public origin, e.g. https://example.org.",
            id="serving.W001",
        )
    ]
