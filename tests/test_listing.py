"""/posts/: newest first, paginated, filtered by topic and tag, calm about bad input."""

import datetime

import pytest

from blog.models import POSTS_PER_PAGE
from tests import factories


@pytest.fixture
def posts(index):
    db_topic = factories.make_topic(name="Databases", slug="database")
    other = factories.make_topic(name="Security", slug="security")
    made = []
    for n in range(POSTS_PER_PAGE + 3):
        made.append(
            factories.make_post(
                index,
                title=f"Listed {n:02d}",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                topic=db_topic if n % 2 else other,
                tags=["orm"] if n % 3 == 0 else [],
            )
        )
    return made


@pytest.mark.django_db
def test_listing_is_newest_first_and_paginated(client, posts):
    first = client.get("/posts/").content.decode()
    second = client.get("/posts/?page=2").content.decode()

    assert first.index("Listed 12") < first.index("Listed 11")
    assert "Listed 00" not in first and "Listed 00" in second
    assert "Page 1 of 2" in first and 'rel="next" href="?page=2"' in first


@pytest.mark.django_db
def test_listing_hides_drafts(client, index, posts):
    factories.make_post(index, live=False, title="Secret draft")

    assert "Secret draft" not in client.get("/posts/").content.decode()


@pytest.mark.django_db
def test_listing_filters_by_topic_and_tag(client, posts):
    by_topic = client.get("/posts/?topic=database").content.decode()
    by_tag = client.get("/posts/?tag=orm").content.decode()

    assert "Listed 01" in by_topic and "Listed 02" not in by_topic
    assert "Listed 03" in by_tag and "Listed 01" not in by_tag


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=99999", "page=", "page=1.5"])
def test_bad_page_numbers_still_answer(client, posts, query):
    assert client.get(f"/posts/?{query}").status_code == 200


@pytest.mark.django_db
def test_unknown_filters_say_so_and_escape_input(client, posts):
    html = client.get("/posts/?topic=<script>x</script>&tag=nope").content.decode()

    assert "There is no topic called" in html and "There is no tag called" in html
    assert "<script>x" not in html
    assert "No posts match." in html
