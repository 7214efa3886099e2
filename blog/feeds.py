"""RSS 2.0 and Atom feeds of the posts, with each post's full content: all of them, or one
topic's, or one tag's, each in both formats."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .links import absolute_url
from .models import (
    Topic,
    TopicPostPage,
    in_default_language,
    in_reader_language,
    readable_tags,
    snippet_translations,
    topics_in_reader_language,
)

FEED_ITEMS = 30
CONTENT_MODULE = "http://purl.org/rss/1.0/modules/content/"


class FullContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with each item's full HTML in <content:encoded> beside its summary."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_MODULE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtomFeed(Atom1Feed):
    """Atom with each entry's full HTML in <content type="html"> beside its summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


def feed_posts():
    """Readable posts, newest first, with what an item shows fetched up front (the body is
    read only to build its HTML, once per content version)."""
    return TopicPostPage.objects.in_reader_language().cards().prefetch_related("authors", "tags")


class PostsFeed(Feed):
    """Every post, in the reader's language (the URL's, which Django's Feed also writes as the
    feed's language): its translation there when it has one, else the default language's.
    Subclasses narrow it to a topic or a tag."""

    title = gettext_lazy("Django at Scale: posts")
    description = gettext_lazy("New posts on running Django in production, at scale.")
    feed_type = FullContentRssFeed
    feed_url_name = "feed"

    def __call__(self, request, *args, **kwargs):
        # Items need the request for their absolute URLs (Wagtail sites are per host).
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self, obj=None):
        return absolute_url(self.request, reverse("wagtail_serve", args=["posts/"]))

    def feed_url(self, obj=None):
        return absolute_url(self.request, reverse(self.feed_url_name))

    def items(self, obj=None):
        return self.with_bodies(feed_posts()[:FEED_ITEMS])

    def with_bodies(self, posts):
        """The feed's posts, with every item's full HTML built (or read) for all of them at
        once, for item_extra_kwargs."""
        posts = topics_in_reader_language(list(posts), self.request)
        self.request.feed_bodies = TopicPostPage.bodies_html(posts, self.request)
        return posts

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        # The same instant in RSS and Atom, the post's JSON-LD and Open Graph tags.
        return item.published_at

    def item_updateddate(self, item):
        # Never before it was published: a post dated ahead of its first publication.
        published = item.published_at
        return max(item.last_published_at, published) if item.last_published_at else published

    def item_extra_kwargs(self, item):
        return {"content_html": self.request.feed_bodies[item.pk]}

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [item.topic.name, *(tag.name for tag in item.tags.all())]


class AtomPostsFeed(PostsFeed):
    feed_type = FullContentAtomFeed
    subtitle = PostsFeed.description
    feed_url_name = "feed_atom"


class TopicFeed(PostsFeed):
    feed_url_name = "topic_feed"

    def get_object(self, request, slug):
        topic = get_object_or_404(Topic.objects.filter(in_default_language()), slug=slug)
        return in_reader_language(topic, snippet_translations(Topic, request))

    def title(self, obj):
        return _("Django at Scale: %(name)s") % {"name": obj.name}

    def description(self, obj):
        return obj.description or _("New posts about %(name)s.") % {"name": obj.name}

    def link(self, obj):
        return absolute_url(self.request, reverse("topic_archive", args=[obj.slug]))

    def feed_url(self, obj):
        return absolute_url(self.request, reverse(self.feed_url_name, args=[obj.slug]))

    def items(self, obj):
        return self.with_bodies(feed_posts().filter(topic=obj)[:FEED_ITEMS])


class AtomTopicFeed(TopicFeed):
    feed_type = FullContentAtomFeed
    feed_url_name = "topic_feed_atom"

    def subtitle(self, obj):
        return self.description(obj)


class TagFeed(PostsFeed):
    feed_url_name = "tag_feed"

    def get_object(self, request, slug):
        return get_object_or_404(readable_tags(), slug=slug)

    def title(self, obj):
        return _("Django at Scale: posts tagged %(name)s") % {"name": obj.name}

    def description(self, obj):
        return _("New posts tagged “%(name)s”.") % {"name": obj.name}

    def link(self, obj):
        return absolute_url(self.request, reverse("tag_archive", args=[obj.slug]))

    def feed_url(self, obj):
        return absolute_url(self.request, reverse(self.feed_url_name, args=[obj.slug]))

    def items(self, obj):
        return self.with_bodies(feed_posts().filter(tags=obj)[:FEED_ITEMS])


class AtomTagFeed(TagFeed):
    feed_type = FullContentAtomFeed
    feed_url_name = "tag_feed_atom"

    def subtitle(self, obj):
        return self.description(obj)
