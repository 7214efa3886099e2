"""The content model in the admin (blog/wagtail_hooks.py): the compilation and the Topic and
Author snippets, and the editor's own styles and scripts (Markdown toolbar, annotation counter)."""

import pytest
from django.urls import reverse

from tests import factories


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.django_db
def test_admin_edits_the_compilation_and_snippets(client, index, editor):
    client.force_login(editor)
    post = factories.make_post(index)
    home = index.get_parent().specific
    compilation = factories.make_compilation(home, [factories.section("Old", [])])
    section = compilation.get_children().get()
    data = factories.section_form_data(post, **{"action-publish": "publish"})

    assert client.post(edit_url(compilation), factories.compilation_form_data()).status_code == 302
    assert client.post(edit_url(section), data).status_code == 302

    html = client.__class__().get("/django-at-scale-in-production/").content.decode()
    assert 'id="caching"' in html and post.title in html
    assert client.get(reverse("wagtailsnippets_blog_topic:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_blog_author:add")).status_code == 200


def test_counter_script_is_served():
    from django.contrib.staticfiles import finders

    path = finders.find("js/admin-counter.js")
    assert path and '[name$="-annotation"]' in open(path).read()


@pytest.mark.django_db
def test_the_markdown_editor_asks_no_other_host_for_fonts_avatars_or_dictionaries(
    client, editor, index
):
    client.force_login(editor)

    html = client.get(f"/admin/pages/add/blog/topicpostpage/{index.pk}/").content.decode()

    assert "css/admin-markdown.css" in html  # the toolbar's faces, from our own static files
    assert "js/admin-markdown-preview.js" in html  # turns off EasyMDE's CDN spell checker
    # The Markdown widget's template travels inside the StreamField's block definitions (JSON in
    # an HTML attribute), hence the escaped quotes.
    assert "data-easymde-autodownload-value=\\&quot;false\\&quot;" in html
    assert "gravatar.com" not in html


@pytest.mark.django_db
def test_the_markdown_editor_gets_its_toolbar_and_the_image_chooser(client, editor, index):
    client.force_login(editor)

    html = client.get(f"/admin/pages/add/blog/topicpostpage/{index.pk}/").content.decode()

    toolbar = html.find("js/admin-markdown-toolbar.js")
    assert toolbar != -1 and toolbar < html.find("wagtailmarkdown/js/easymde.attach.js")
    assert "wagtailimages/js/image-chooser-modal.js" in html
    assert "data-image-chooser-url=\\&quot;/admin/images/chooser/\\&quot;" in html
