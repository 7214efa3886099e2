"""The compilation's "What changed" page and its Atom feed, routed from the CompilationPage."""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blog.links import absolute_url
from serving import content_version

from . import log

FEED_ITEMS = 30


def page_publishes(request, page):
    """The compilation's Publishes, built once per content version: a publish bumps the
    version, so its changes show at once."""
    return content_version.cached(
        f"changes:log:{page.pk}", lambda: log.publishes(page), request=request
    )


def changes_log(request, page):
    return TemplateResponse(
        request,
        "changes/changes_log.html",
        {
            "page": page,
            "compilation_url": page.get_url(request),
            "publishes": page_publishes(request, page),
        },
    )


class ChangesFeed(Feed):
    """One Atom entry per publish, its changes as the entry's HTML."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        # Links are absolute for the host asked (Wagtail sites are per host).
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, page):
        return page

    def title(self, page):
        return _("%(title)s: what changed") % {"title": page.title}

    def subtitle(self, page):
        return _("Sections and entries added, moved, reviewed or removed in “%(title)s”.") % {
            "title": page.title
        }

    def link(self, page):
        return absolute_url(self.request, page.get_url(self.request) + "changes/")

    def feed_url(self, page):
        return absolute_url(self.request, page.get_url(self.request) + "changes/feed/")

    def items(self, page):
        self.page = page
        return page_publishes(self.request, page)[:FEED_ITEMS]

    def item_title(self, publish):
        count = len(publish.changes)
        if not count:
            return _("A note on %(title)s") % {"title": self.page.title}
        return ngettext(
            "%(count)s change to %(title)s", "%(count)s changes to %(title)s", count
        ) % {"count": count, "title": self.page.title}

    def item_description(self, publish):
        return render_to_string(
            "changes/change_list.html",
            {
                "note": publish.note,
                "changes": publish.changes,
                "compilation_url": absolute_url(self.request, self.page.get_url(self.request)),
            },
        )

    def item_link(self, publish):
        return f"{self.link(self.page)}#publish-{publish.id}"

    def item_guid(self, publish):
        return self.item_link(publish)

    def item_pubdate(self, publish):
        return publish.published_at

    def item_updateddate(self, publish):
        return publish.published_at


def serve_subpages(next_serve):
    """Wraps Wagtail's serving of a page: the compilation's "What changed" sub-pages are
    answered here, anything else goes on as usual."""

    def serve(page, request, serve_args, serve_kwargs):
        if serve_args == ("changes",):
            return changes_log(request, page)
        if serve_args == ("changes-feed",):
            return ChangesFeed()(request, page=page)
        return next_serve(page, request, serve_args, serve_kwargs)

    return serve
