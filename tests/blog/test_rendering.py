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


def _boxes(html):
    return html.count('<figure class="code-block"')


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_fenced_code_in_markdown_is_shown_in_the_code_box(fence):
    html = str(rendering.markdown_to_html(f"Intro.\n\n{fence}python\nx = 1\n{fence}\n"))

    assert _boxes(html) == 1
    assert '<span class="code-block__language">Python</span>' in html
    assert 'role="region" aria-label="Python code: x = 1" tabindex="0"' in html
    assert '<span class="n">x</span>' in html
    assert "codehilite" not in html


def test_fence_inside_a_list_item_is_a_code_box_not_inline_text():
    text = "1. Run it:\n\n    ```bash\n    python manage.py migrate\n    ```\n\n2. Done.\n"

    html = str(rendering.markdown_to_html(text))

    assert _boxes(html) == 1
    assert '<span class="code-block__language">Shell</span>' in html
    assert "<code>```" not in html and "<p><code>" not in html
    assert html.index("<li>") < html.index("code-block") < html.index("</li>")


def test_indented_code_is_shown_in_the_code_box():
    html = str(rendering.markdown_to_html("Text.\n\n    SELECT 1;\n\nMore.\n"))

    assert _boxes(html) == 1
    assert 'aria-label="Code: SELECT 1;"' in html
    assert "SELECT 1;" in html


def test_fence_names_a_file_shown_above_the_code():
    html = str(rendering.markdown_to_html("```python settings/base.py\nDEBUG = False\n```\n"))

    assert '<span class="code-block__filename">settings/base.py</span>' in html
    assert 'aria-label="Python code, settings/base.py"' in html


def test_fence_info_is_escaped_not_rendered_as_markup():
    html = str(rendering.markdown_to_html('```python "><script>alert(1)</script>\nx\n```\n'))

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_code_block_and_markdown_fence_render_the_same_box():
    from blog.blocks import CodeBlock

    block = CodeBlock()
    value = block.to_python({"language": "python", "filename": "", "source": "x = 1\n"})

    assert (
        str(block.render(value)).strip()
        == str(rendering.markdown_to_html("```python\nx = 1\n```\n")).strip()
    )


def test_code_regions_on_one_page_have_different_names():
    html = str(rendering.markdown_to_html("```python\nx = 1\n```\n\n```python\ny = 2\n```\n"))

    assert 'aria-label="Python code: x = 1"' in html
    assert 'aria-label="Python code: y = 2"' in html


@pytest.mark.django_db
def test_an_image_from_the_library_renders_in_markdown():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Harbour", file=get_test_image_file())

    html = str(rendering.markdown_to_html(f"![A ship in a harbour](image:{image.pk})"))

    assert 'alt="A ship in a harbour"' in html
    assert f'src="{image.get_rendition("width-500").url}"' in html
