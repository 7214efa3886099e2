"""RSS 2.0 and Atom feeds of the posts: all of them, or one topic's, or one tag's."""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .links import absolute_url
from .models import Topic, TopicPostPage, readable_tags

FEED_ITEMS = 30


def feed_posts():
    """Readable posts, newest first, with what an item shows fetched up front."""
    return TopicPostPage.objects.cards().prefetch_related("authors", "tags")


class PostsFeed(Feed):
    """Every post. Subclasses narrow it to a topic or a tag."""

    title = "Django at Scale: posts"
    description = "New posts on running Django in production, at scale."
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
        return feed_posts()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors.all()) or None

    def item_categories(self, item):
        return [item.topic.name, *(tag.name for tag in item.tags.all())]


class AtomPostsFeed(PostsFeed):
    feed_type = Atom1Feed
    subtitle = PostsFeed.description
    feed_url_name = "feed_atom"


class TopicFeed(PostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"Django at Scale: {obj.name}"

    def description(self, obj):
        return obj.description or f"New posts about {obj.name}."

    def link(self, obj):
        return absolute_url(self.request, reverse("topic_archive", args=[obj.slug]))

    def feed_url(self, obj):
        return absolute_url(self.request, reverse("topic_feed", args=[obj.slug]))

    def items(self, obj):
        return feed_posts().filter(topic=obj)[:FEED_ITEMS]


class TagFeed(PostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(readable_tags(), slug=slug)

    def title(self, obj):
        return f"Django at Scale: posts tagged {obj.name}"

    def description(self, obj):
        return f"New posts tagged “{obj.name}”."

    def link(self, obj):
        return absolute_url(self.request, reverse("tag_archive", args=[obj.slug]))

    def feed_url(self, obj):
        return absolute_url(self.request, reverse("tag_feed", args=[obj.slug]))

    def items(self, obj):
        return feed_posts().filter(tags=obj)[:FEED_ITEMS]
