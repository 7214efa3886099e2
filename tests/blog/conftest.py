"""Content and page readers shared by the blog's tests."""

import datetime
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from wagtail.models import PageViewRestriction

from blog.models import POSTS_PER_PAGE
from tests import factories

# A title with characters that HTML, XML and JSON each escape.
TRICKY_TITLE = 'Less <than> "quoted" & friends'


class Head(HTMLParser):
    """Meta tags, link tags, JSON-LD blocks and other scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.ld, self.scripts, self.h1 = {}, [], [], [], 0
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)
            self._in_ld = attrs.get("type") == "application/ld+json"
            if self._in_ld:
                self.ld.append("")
        elif tag == "h1":
            self.h1 += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data

    def json_ld(self):
        return {doc["@type"]: doc for doc in map(json.loads, self.ld)}


def parse(response):
    assert response.status_code == 200
    head = Head()
    head.feed(response.content.decode())
    return head


def parse_xml(content):
    """Strict XML parsing of our own responses: a malformed feed fails the test."""
    return ET.fromstring(content)  # noqa: S314 - our own output, not untrusted input


@pytest.fixture
def post(index):
    topic = factories.make_topic(name="Databases", slug="databases")
    author = factories.make_author(name="Ada Editor", link="https://example.com/ada")
    return factories.make_post(
        index,
        title=TRICKY_TITLE,
        slug="tricky",
        summary='A summary with <, " and & in it.',
        topic=topic,
        tags=["orm", "postgresql"],
        authors=[author],
        date=datetime.date(2026, 5, 4),
        body=factories.markdown_body("## First part\n\nWords.\n\n### Detail\n\nMore.\n"),
    )


@pytest.fixture
def archive_posts(index):
    topic = factories.make_topic(name="Databases", slug="databases")
    other = factories.make_topic(name="Other", slug="other")
    made = [
        factories.make_post(
            index,
            title=f"Archived {n:02d}",
            topic=topic if n % 2 == 0 else other,
            tags=["orm"] if n % 3 == 0 else [],
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(2 * POSTS_PER_PAGE + 4)
    ]
    factories.make_post(index, live=False, title="Archived draft", topic=topic, tags=["orm"])
    return made


@pytest.fixture
def site_posts(index):
    """Two live posts on one topic (one tagged), a draft, and a private post."""
    topic = factories.make_topic(name="Databases", slug="databases")
    other = factories.make_topic(name="Security", slug="security")
    author = factories.make_author(name="Ada Editor")
    first = factories.make_post(
        index,
        title=TRICKY_TITLE,
        topic=topic,
        tags=["orm"],
        authors=[author],
        date=datetime.date(2026, 3, 1),
        summary="Summary with <b>markup</b> & ampersand.",
    )
    second = factories.make_post(index, title="Second", topic=other, date=datetime.date(2026, 4, 1))
    draft = factories.make_post(index, live=False, title="Draft post", topic=topic, tags=["orm"])
    private = factories.make_post(index, title="Private post", topic=topic, tags=["orm"])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return {"live": [second, first], "draft": draft, "private": private}
