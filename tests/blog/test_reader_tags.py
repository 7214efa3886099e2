"""Template tags on readers' pages (blog/templatetags/reader_tags.py): visible breadcrumbs and
links to each heading."""

import pytest


@pytest.mark.django_db
def test_post_shows_visible_breadcrumbs(client, post):
    html = client.get(post.url).content.decode()

    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<a href="/posts/">Posts</a>' in html
    assert 'href="/posts/tricky/" aria-current="page">Less &lt;than&gt;' in html


@pytest.mark.django_db
def test_post_headings_have_anchor_links_for_copying(client, post):
    html = client.get(post.url).content.decode()

    assert (
        '<h2 id="first-part">First part<a class="anchor" href="#first-part" '
        'aria-label="Link to “First part”">#</a></h2>'
    ) in html
    assert '<a class="anchor" href="#detail"' in html
    assert '<script src="/static/js/anchors.js" defer></script>' in html
