"""Markdown and highlighted code (blog/rendering.py) are rendered once per distinct content, not
once per request."""

import pytest

from blog import rendering
from tests import factories


@pytest.fixture
def render_counts(monkeypatch):
    counts = {"markdown": 0, "code": 0}
    render_markdown, highlight = rendering.render_markdown, rendering.highlight

    def counting_markdown(text):
        counts["markdown"] += 1
        return render_markdown(text)

    def counting_highlight(*args):
        counts["code"] += 1
        return highlight(*args)

    monkeypatch.setattr(rendering, "render_markdown", counting_markdown)
    monkeypatch.setattr(rendering, "highlight", counting_highlight)
    return counts


def test_same_markdown_is_rendered_once(render_counts):
    first = rendering.markdown_to_html("## Caching\n\nSome *words*.")
    second = rendering.markdown_to_html("## Caching\n\nSome *words*.")

    assert first == second
    assert "<em>words</em>" in first
    assert render_counts["markdown"] == 1


def test_changed_markdown_is_rendered_afresh(render_counts):
    rendering.markdown_to_html("Old *text*.")
    changed = rendering.markdown_to_html("New *text*.")

    assert "New <em>text</em>" in changed
    assert render_counts["markdown"] == 2


def test_code_is_highlighted_once_per_source_and_language(render_counts):
    rendering.highlight_code("x = 1", "python")
    rendering.highlight_code("x = 1", "python")
    rendering.highlight_code("x = 1", "text")

    assert render_counts["code"] == 2


@pytest.mark.django_db
def test_viewing_a_post_again_renders_nothing_again(client, index, render_counts):
    post = factories.make_post(index)
    client.get(post.url)
    before = dict(render_counts)

    response = client.get(post.url)

    assert 'class="highlight"' in response.content.decode()
    assert render_counts == before
    assert before["markdown"] >= 1 and before["code"] >= 1
