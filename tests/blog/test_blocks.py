"""The blocks (blog/blocks.py): what each renders for readers."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests import factories


@pytest.mark.django_db
def test_post_images_have_alt_text_dimensions_and_a_srcset(client, index):
    image = Image.objects.create(title="Diagram", file=get_test_image_file(size=(1600, 900)))
    body = [
        {"type": "image", "value": {"image": image.pk, "alt_text": 'Pool "A" & B', "caption": ""}}
    ]
    post = factories.make_post(index, body=body)

    html = client.get(post.url).content.decode()
    img = html[html.index("<img") : html.index(">", html.index("<img"))]

    assert 'alt="Pool &quot;A&quot; &amp; B"' in img
    assert 'width="480"' in img and 'height="270"' in img
    assert "srcset=" in img and " 800w" in img and " 1200w" in img
    assert 'sizes="(min-width: 44rem) 42rem, 100vw"' in img
    assert 'loading="lazy"' in img
