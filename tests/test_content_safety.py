"""Whatever an editor pastes into Markdown, readers get no script."""

import pytest

from blog.rendering import highlight_code, markdown_to_html
from tests import factories

HOSTILE = """
Hello <script>alert('x')</script> world.

<img src="x.png" onerror="alert(1)">

[click me](javascript:alert(1))

<a href="JaVaScRiPt:alert(2)">mixed case</a>

<a href="&#106;avascript:alert(3)">entity</a>

<div onclick="alert(4)">div</div>
"""


def test_markdown_strips_scripts_handlers_and_javascript_links():
    html = str(markdown_to_html(HOSTILE)).lower()

    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "hello" in html and "click me" in html


def test_code_is_escaped_not_executed():
    html = str(highlight_code("<script>alert(1)</script>", "html"))

    assert "<script>" not in html
    assert "&lt;" in html


@pytest.mark.django_db
def test_hostile_markdown_reaches_readers_sanitised(client, index):
    post = factories.make_post(index, body=[{"type": "markdown", "value": HOSTILE}])

    html = client.get(post.url).content.decode().lower()

    assert "alert(1)" not in html.replace("alert(1)</span>", "")  # only inside code, never live
    assert "<script>alert" not in html
    assert "onerror=" not in html
    assert 'href="javascript' not in html


@pytest.mark.django_db
def test_titles_are_escaped(client, index):
    post = factories.make_post(index, title='<b>"Bold" & sure</b>')

    html = client.get(post.url).content.decode()

    assert "<b>&quot;Bold&quot;" not in html
    assert "&lt;b&gt;&quot;Bold&quot; &amp; sure&lt;/b&gt;" in html
