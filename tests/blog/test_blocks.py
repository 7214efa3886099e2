"""The blocks (blog/blocks.py): what each renders for readers; rules and previews for editors."""

import pytest
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from blog.blocks import ANNOTATION_MAX
from blog.models import CompilationPage
from tests import factories


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


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


@pytest.mark.django_db
def test_a_section_anchor_used_by_another_section_is_refused(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(
        home, [factories.section("Old", []), factories.section("Caching", [])]
    )
    old = compilation.get_children().get(slug="old")

    response = client.post(edit_url(old), factories.section_form_data(post, slug="caching"))

    assert response.status_code == 200
    assert "already in use" in response.content.decode()
    compilation.refresh_from_db()
    assert compilation.body[0].value["heading"] == "Old"


@pytest.mark.parametrize("slug", ["changes", "suggest"])
def test_a_section_anchor_taken_by_the_compilations_own_pages_is_refused(
    client, index, editor, slug
):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    old = compilation.get_children().get()

    response = client.post(edit_url(old), factories.section_form_data(post, slug=slug))

    assert response.status_code == 200
    assert "taken by the compilation" in response.content.decode()
    assert compilation.get_children().get().slug == "old"


def test_annotations_are_limited():
    body = CompilationPage._meta.get_field("body").stream_block
    entries = body.child_blocks["section"].child_blocks["entries"]
    for entry in entries.child_blocks.values():
        assert entry.child_blocks["annotation"].field.max_length == ANNOTATION_MAX == 200


@pytest.mark.django_db
def test_section_and_entry_blocks_have_previews(client, editor, index):
    client.force_login(editor)
    factories.make_post(index, title="The newest post")
    section = CompilationPage._meta.get_field("body").stream_block.child_blocks["section"]
    entries = section.child_blocks["entries"].child_blocks

    html = {
        name: client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        ).content.decode()
        for name, block in [("section", section), *entries.items()]
    }

    assert section.is_previewable and all(block.is_previewable for block in entries.values())
    assert "Caching" in html["section"] and "css/site.css" in html["section"]
    assert "The newest post" in html["post"]
    assert (
        "Django&#x27;s cache framework" in html["link"] and '<ol class="entries">' in html["link"]
    )


@pytest.mark.django_db
def test_section_editor_loads_the_counter(client, editor, home, index):
    client.force_login(editor)
    compilation = factories.make_compilation(home, [factories.section("Caching", [])])
    section = compilation.get_children().get()

    html = client.get(edit_url(section)).content.decode()

    assert 'src="/static/js/admin-counter.js" defer' in html
    assert 'src="/static/js/admin-compilation.js" defer' in html


def test_an_annotation_is_typed_in_a_box_and_kept_on_one_line():
    from blog.blocks import AnnotationBlock

    block = AnnotationBlock(max_length=200)

    assert block.field.widget.attrs["rows"] == 3
    assert block.clean("Why read it:\r\n  the numbers.\n") == "Why read it: the numbers."


def test_a_new_section_is_reviewed_today():
    from django.utils import timezone

    from blog.blocks import SectionBlock

    assert SectionBlock().get_default()["reviewed"] == timezone.localdate()
