"""Subscribers built the way readers become subscribers, and reading the mails they get (the
local SMTP server is tests/conftest.py's `smtp` fixture)."""

import datetime
import re

import pytest
from django.utils import timezone

from subscriptions.models import Frequency, Subscriber
from tests import factories

LINK_RE = re.compile(r"https?://[^\s\"<>]+")


def parts(message):
    """(plain text, HTML) of a two-part message."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def links(text):
    return LINK_RE.findall(text)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def subscribe(address, frequency=Frequency.EACH_POST, since=None):
    """A confirmed subscriber, as one who followed the confirmation link at `since`."""
    since = since or timezone.now() - datetime.timedelta(minutes=5)
    return Subscriber.objects.create(
        email=address, frequency=frequency, confirmed_at=since, since=since
    )


@pytest.fixture
def site(index):
    """The home page, the posts' index and a compilation, published."""
    compilation = factories.make_compilation(
        index.get_parent().specific, [factories.section("Caching", [])]
    )
    return index, compilation
