"""Public pages cost one query once warm, whatever the amount of content: the route cache
(serving/routing.py) fetches the page itself by primary key, and the rest is cached under the
content version.

Counted with the page cache off (as in every test) and after one warm-up request, as on any
running server: the route to each page, the compilation map and the rendered HTML of each page
(a post's metadata and article, the metadata and cards of each page of the listing, the home
page's content, the compilation's body) are then cached under the content version (serving/).
What is left is the route replay fetching the page itself: one query each for a post (5 without
its cached article: route, topic, authors, tags, breadcrumb ancestors), the listing with or
without filters (4 without: route, view restrictions, count, page of posts), the home page and
the compilation. The budgets: at most 8 for a post, 8 for the listing, 10 for the compilation.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def count_queries(client, url):
    client.get(url)  # warm Wagtail's per-site caches, as any running server has
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def build_compilation(index, entries):
    home = index.get_parent().specific
    topic = factories.make_topic()
    posts = [factories.make_post(index, topic=topic, tags=["orm"]) for _ in range(entries // 2)]
    sections = []
    for number in range(0, len(posts), 5):
        chunk = [factories.post_entry(post) for post in posts[number : number + 5]]
        chunk += [factories.link_entry(number + i) for i in range(len(chunk))]
        sections.append(factories.section(f"Section {number}", chunk))
    compilation = factories.make_compilation(home, sections)
    home.featured_compilation = compilation
    factories.publish(home)
    return compilation, posts


@pytest.mark.django_db
@pytest.mark.parametrize("entries", [10, 100])
def test_compilation_query_count_does_not_grow(client, index, entries, settings):
    compilation, _ = build_compilation(index, entries)

    assert count_queries(client, compilation.url) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("entries", [10, 100])
def test_post_query_count_does_not_grow(client, index, entries):
    _, posts = build_compilation(index, entries)

    # The route: the post itself. Its metadata and article come rendered from the cache.
    assert count_queries(client, posts[2].url) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("entries", [10, 100])
def test_listing_and_home_query_counts_do_not_grow(client, index, entries):
    _, posts = build_compilation(index, entries)
    topic = posts[0].topic.slug

    # The route only: the topics, the tag, the count of matching posts and each page of the
    # listing are cached; an unknown filter matches nothing without asking the database.
    assert count_queries(client, "/posts/") == 1
    assert count_queries(client, f"/posts/?topic={topic}&page=2") == 1
    assert count_queries(client, "/posts/?tag=orm") == 1
    assert count_queries(client, "/posts/?topic=no-such-topic") == 1
    assert count_queries(client, "/") == 1
