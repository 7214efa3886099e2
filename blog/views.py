"""Topic and tag archives: the live posts of one topic or one tag, newest first, paginated.

/topics/<slug>/ is a topic's one address: the listing's topic chips link here, and /posts/?topic=
names it as its canonical URL.
"""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .links import absolute_url
from .models import POSTS_PER_PAGE, Topic, TopicIndexPage, TopicPostPage, all_topics, readable_tags


def _archive(request, *, title, lead, posts, feed_url, archive_url, **extra):
    index = TopicIndexPage.objects.readable().order_by("path").first()
    page_obj = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    crumbs = [{"title": "Home", "url": "/"}]
    if index is not None:
        crumbs.append({"title": index.title, "url": index.get_url(request)})
    crumbs.append({"title": title, "url": archive_url})
    return render(
        request,
        "blog/archive.html",
        {
            "archive_title": title,
            "archive_lead": lead,
            "posts": page_obj,
            "feed_url": feed_url,
            "canonical_path": archive_url,
            "breadcrumbs": crumbs,
            "index_url": crumbs[1]["url"] if index is not None else "/",
            **extra,
        },
    )


@require_safe
def topic_archive(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return _archive(
        request,
        title=topic.name,
        lead=topic.description,
        posts=TopicPostPage.objects.cards().filter(topic=topic),
        feed_url=reverse("topic_feed", args=[topic.slug]),
        archive_url=reverse("topic_archive", args=[topic.slug]),
        # The topic's one address: the same chips as the listing of every post.
        topics=all_topics(request),
        topic=topic,
    )


@require_safe
def tag_archive(request, slug):
    tag = get_object_or_404(readable_tags(), slug=slug)
    return _archive(
        request,
        title=f"Tagged “{tag.name}”",
        lead=f"Every post tagged “{tag.name}”, newest first.",
        posts=TopicPostPage.objects.cards().filter(tags=tag),
        feed_url=reverse("tag_feed", args=[tag.slug]),
        archive_url=reverse("tag_archive", args=[tag.slug]),
    )


@require_safe
def robots_txt(request):
    sitemap = absolute_url(request, reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
