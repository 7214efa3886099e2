"""`manage.py import_markdown` (markdown_io/management/commands/import_markdown.py): Markdown files
become draft posts, or new revisions of existing ones, and nothing is saved unless every file is
good."""

import pytest
from django.core.management import CommandError

from blog.models import TopicPostPage
from tests.markdown_io.conftest import POST, call


@pytest.mark.django_db
def test_import_makes_a_draft_with_code_note_and_links(client, index, snippets, post_file):
    output = call("import_markdown", post_file)

    post = TopicPostPage.objects.get(slug="caching-guide")
    assert "caching-guide: created (draft)" in output
    assert not post.live and post.revisions.count() == 1
    assert client.get("/posts/caching-guide/").status_code == 404
    draft = post.get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == [
        "markdown",
        "code",
        "note",
        "code",
        "links",
    ]
    code = draft.body[1].value
    assert (code["language"], code["filename"]) == ("python", "settings/cache.py")
    assert draft.body[2].value["kind"] == "tip"
    assert [tag.name for tag in draft.tags.all()] == ["redis", "cache"]
    assert [author.slug for author in draft.authors.all()] == ["editors"]


@pytest.mark.django_db
def test_publish_option_publishes(client, index, snippets, post_file):
    call("import_markdown", "--publish", post_file)

    response = client.get("/posts/caching-guide/")
    assert response.status_code == 200
    assert 'class="highlight"' in response.content.decode()


@pytest.mark.django_db
def test_existing_slug_gets_a_new_revision_and_the_live_version_stays(
    client, index, snippets, post_file
):
    call("import_markdown", "--publish", post_file)
    post_file.write_text(POST.replace('title: "Caching: a field guide"', "title: Renamed"))

    output = call("import_markdown", post_file)

    post = TopicPostPage.objects.get(slug="caching-guide")
    assert "new revision (draft; the live version is unchanged)" in output
    assert post.revisions.count() == 2 and post.has_unpublished_changes
    assert post.title == "Caching: a field guide"
    assert post.get_latest_revision_as_object().title == "Renamed"
    assert "Renamed" not in client.get("/posts/caching-guide/").content.decode()


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(index, snippets, post_file):
    call("import_markdown", post_file)

    output = call("import_markdown", post_file)

    assert "caching-guide: unchanged" in output
    assert TopicPostPage.objects.get(slug="caching-guide").revisions.count() == 1


@pytest.mark.django_db
def test_bad_front_matter_names_the_file_and_line_and_imports_nothing(index, snippets, post_file):
    bad = post_file.parent / "bad.md"
    bad.write_text(POST.replace("date: 2026-03-01", "date: soon").replace("caching-guide", "bad"))

    with pytest.raises(CommandError, match=r"bad\.md:5: date must be YYYY-MM-DD"):
        call("import_markdown", post_file.parent)

    assert not TopicPostPage.objects.exists()


@pytest.mark.django_db
def test_a_missing_topic_is_an_error_and_nothing_is_imported(index, snippets, post_file):
    other = post_file.parent / "other.md"
    other.write_text(
        POST.replace("topic: performance", "topic: cooking").replace("caching-guide", "z")
    )

    with pytest.raises(CommandError, match=r"other\.md:6: unknown topic 'cooking'"):
        call("import_markdown", post_file, other)

    assert not TopicPostPage.objects.exists()


@pytest.mark.django_db
def test_a_failure_half_way_rolls_back_the_posts_before_it(index, snippets, post_file):
    # The second file passes the checks done up front but fails validation when saved.
    second = post_file.parent / "second.md"
    second.write_text(POST.replace("slug: caching-guide", "slug: Not A Slug!"))

    with pytest.raises(CommandError, match="second.md"):
        call("import_markdown", post_file, second)

    assert not TopicPostPage.objects.exists()


@pytest.mark.django_db
def test_dry_run_saves_nothing(index, snippets, post_file):
    output = call("import_markdown", "--dry-run", post_file)

    assert "Dry run, nothing saved: would be 1 created" in output
    assert not TopicPostPage.objects.exists()
