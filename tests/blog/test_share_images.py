"""Share images (blog/share_images.py and the /share/ views): a 1200x630 PNG per live, public
post and compilation, kept per content version; nothing for anything else."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from wagtail.models import PageViewRestriction

from blog import share_images
from tests import factories

pytestmark = pytest.mark.django_db


def png(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_a_post_has_a_1200_by_630_png(client, index):
    post = factories.make_post(index, title="Caching Django at scale")

    response = client.get(f"/share/{post.pk}.png")
    image = png(response)

    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert "public" in response["Cache-Control"]


def test_a_compilation_has_a_share_image(client, index, post):
    compilation = factories.make_compilation(
        index.get_parent().specific, [factories.section("One", [factories.post_entry(post)])]
    )

    assert png(client.get(f"/share/{compilation.pk}.png")).size == (1200, 630)


def test_the_image_shows_the_title_and_changes_with_it(client, index):
    post = factories.make_post(index, title="Short")
    before = client.get(f"/share/{post.pk}.png").content

    post.title = "A much longer title that needs more than one line to be shown in full"
    factories.publish(post)
    after = client.get(f"/share/{post.pk}.png").content

    assert before != after


@pytest.mark.parametrize("kind", ["draft", "private", "listing", "home", "unknown", "huge"])
def test_other_pages_have_no_share_image(client, index, kind):
    if kind == "draft":
        page_id = factories.make_post(index, live=False).pk
    elif kind == "private":
        page = factories.make_post(index)
        PageViewRestriction.objects.create(page=page, restriction_type="login")
        page_id = page.pk
    elif kind == "listing":
        page_id = index.pk
    elif kind == "home":
        page_id = index.get_parent().pk
    elif kind == "unknown":
        page_id = 987654
    else:
        page_id = 10**30

    response = client.get(f"/share/{page_id}.png")

    assert response.status_code == 404


def test_an_image_is_drawn_once_per_content_version(client, index):
    post = factories.make_post(index, title="Drawn once")
    client.get(f"/share/{post.pk}.png")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/share/{post.pk}.png")

    assert response.status_code == 200
    assert len(queries) == 0


def test_share_images_refuse_writes(client, index):
    post = factories.make_post(index)

    assert client.post(f"/share/{post.pk}.png").status_code == 405


def test_a_title_too_long_for_four_lines_is_cut_with_an_ellipsis():
    draw = share_images.ImageDraw.Draw(Image.new("RGB", (10, 10)))

    font, lines = share_images._title_lines(draw, "word " * 200, 1040)

    assert font.size == min(share_images.TITLE_SIZES)
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    assert all(draw.textlength(line, font=font) <= 1040 for line in lines)


def test_a_word_wider_than_the_image_is_broken():
    draw = share_images.ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = share_images._font(72, bold=True)

    lines = share_images._wrap(draw, "x" * 200, font, 1040)

    assert len(lines) > 1
    assert all(draw.textlength(line, font=font) <= 1040 for line in lines)


def test_the_logo_is_a_square_png(client):
    assert png(client.get("/share/logo.png")).size == (512, 512)
