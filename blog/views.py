"""Topic and tag archives: the live posts of one topic or one tag, newest first, paginated.

/topics/<slug>/ is a topic's one address: the listing's topic chips link here, and /posts/?topic=
names it as its canonical URL.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from serving import content_version

from . import share_images
from .links import absolute_url
from .metadata import SITE_NAME
from .models import (
    POSTS_PER_PAGE,
    CompilationPage,
    Topic,
    TopicIndexPage,
    TopicPostPage,
    all_topics,
    in_default_language,
    in_reader_language,
    readable_tags,
    snippet_translations,
    topics_in_reader_language,
)

# Share images change only with their page's title or topic: browsers and link previews may
# keep one for an hour; the server keeps it per content version.
SHARE_IMAGE_MAX_AGE = 60 * 60
MAX_PAGE_ID = 2**31 - 1  # larger ids overflow PostgreSQL's integer: no page has one


def _archive(request, *, title, lead, posts, feed_url, atom_feed_url, archive_url, **extra):
    listings = TopicIndexPage.objects.readable().order_by("path")
    index = (
        listings.filter(locale__language_code=translation.get_language()).first()
        or listings.first()
    )
    page_obj = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    topics_in_reader_language(page_obj, request)
    crumbs = [{"title": _("Home"), "url": reverse("wagtail_serve", args=[""])}]
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
            "atom_feed_url": atom_feed_url,
            "canonical_path": archive_url,
            "breadcrumbs": crumbs,
            "index_url": crumbs[1]["url"] if index is not None else "/",
            **extra,
        },
    )


@require_safe
def topic_archive(request, slug):
    topic = in_reader_language(
        get_object_or_404(Topic.objects.filter(in_default_language()), slug=slug),
        snippet_translations(Topic, request),
    )
    return _archive(
        request,
        title=topic.name,
        lead=topic.description,
        posts=TopicPostPage.objects.in_reader_language().cards().filter(topic=topic),
        feed_url=reverse("topic_feed", args=[topic.slug]),
        atom_feed_url=reverse("topic_feed_atom", args=[topic.slug]),
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
        posts=TopicPostPage.objects.in_reader_language().cards().filter(tags=tag),
        feed_url=reverse("tag_feed", args=[tag.slug]),
        atom_feed_url=reverse("tag_feed_atom", args=[tag.slug]),
        archive_url=reverse("tag_archive", args=[tag.slug]),
    )


@require_safe
def robots_txt(request):
    sitemap = absolute_url(request, reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _share_png(page_id):
    """The PNG of a live, public post or compilation, or None for any other id."""
    post = TopicPostPage.objects.readable().select_related("topic").filter(pk=page_id).first()
    if post is not None:
        return share_images.share_image(post.title, post.topic.name, SITE_NAME)
    compilation = CompilationPage.objects.readable().filter(pk=page_id).first()
    if compilation is not None:
        return share_images.share_image(compilation.title, "Compilation", SITE_NAME)
    return None


def _png_response(png):
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={SHARE_IMAGE_MAX_AGE}"
    return response


@require_safe
def share_image(request, page_id):
    """/share/<id>.png: a post's or compilation's share image (og:image); 404 for drafts,
    private pages, other page types and unknown ids."""
    if page_id > MAX_PAGE_ID:
        raise Http404("No share image for this page.")
    png = content_version.cached(
        f"blog:share-image:{page_id}", lambda: _share_png(page_id), request=request
    )
    if png is None:
        raise Http404("No share image for this page.")
    return _png_response(png)


@require_safe
def share_logo(request):
    """/share/logo.png: the site's mark, the publisher's logo in JSON-LD."""
    return _png_response(
        content_version.cached("blog:share-logo", share_images.logo, request=request)
    )
