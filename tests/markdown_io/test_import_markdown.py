"""Markdown in and out: import_markdown and export_markdown, and the round trip between them."""

import io

import pytest
from django.core.management import CommandError, call_command

from blog.models import TopicPostPage
from markdown_io.management.commands.import_markdown import post_content
from markdown_io.management.commands.load_compilation import SEED_DIR
from tests import factories

SEED_POSTS = SEED_DIR / "posts"
POST = """---
title: Caching: a field guide
slug: caching-guide
summary: Where caches pay.
date: 2026-03-01
topic: performance
tags: redis, cache
authors: editors
---
## Why

Words with [a link](https://example.org/a_b) and `code_here`.

```python settings/cache.py
CACHES = {"default": {}}
```

> [!TIP]
> Measure **first**, then cache.
>
> A second paragraph.

```
plain text
```

## Further reading

- [Cache framework](https://docs.djangoproject.com/en/5.2/topics/cache/) — Django docs
- [Redis](https://redis.io/docs/)
"""


def call(name, *args):
    out = io.StringIO()
    call_command(name, *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def snippets(db):
    factories.make_topic(name="Performance", slug="performance")
    factories.make_author(name="The Editors", slug="editors")


@pytest.fixture
def post_file(tmp_path):
    path = tmp_path / "in" / "caching-guide.md"
    path.parent.mkdir()
    path.write_text(POST, encoding="utf-8")
    return path


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
    post_file.write_text(POST.replace("title: Caching: a field guide", "title: Renamed"))

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


@pytest.mark.django_db
def test_export_writes_what_import_read(index, snippets, post_file, tmp_path):
    call("import_markdown", post_file)

    call("export_markdown", tmp_path / "out")

    exported = (tmp_path / "out" / "caching-guide.md").read_text()
    assert exported.startswith("---\ntitle: Caching: a field guide\nslug: caching-guide\n")
    assert "tags: redis, cache\n" in exported
    assert "```python settings/cache.py\nCACHES" in exported
    assert "> [!TIP]\n> Measure **first**, then cache.\n>\n> A second paragraph." in exported
    assert "\n```\nplain text\n```\n" in exported
    assert exported.endswith("- [Redis](https://redis.io/docs/)\n")


@pytest.mark.django_db
def test_blocks_without_an_exact_markdown_form_are_named(index, snippets, tmp_path):
    factories.make_post(
        index,
        slug="rich",
        body=[{"type": "rich_text", "value": "<p>Some <b>bold</b> words.</p>"}],
    )

    output = call("export_markdown", tmp_path)

    assert "rich.md (written as Markdown, not exact: rich_text)" in output
    assert "Some **bold** words." in (tmp_path / "rich.md").read_text()


@pytest.mark.django_db
def test_round_trip_over_the_seed_posts_is_identical(seeded, tmp_path):
    """Seed posts (imported from Markdown) → export → import elsewhere → export: the same."""
    home = factories.HomePage.objects.get()
    factories.make_index(home, slug="copy", title="Copy")
    call("export_markdown", "--index", "posts", tmp_path / "first")

    output = call("import_markdown", "--index", "copy", tmp_path / "first")
    call("export_markdown", "--index", "copy", tmp_path / "second")

    assert "Imported: 13 created (draft)." in output
    originals = TopicPostPage.objects.filter(path__startswith=home.path).exclude(
        url_path__startswith="/home/copy/"
    )
    copies = {p.slug: p for p in TopicPostPage.objects.filter(url_path__startswith="/home/copy/")}
    assert len(originals) == len(copies) == 13
    for original in originals:
        copy = copies[original.slug].get_latest_revision_as_object()
        assert post_content(copy) == post_content(original), original.slug
    first = sorted(path.name for path in (tmp_path / "first").iterdir())
    assert first == sorted(path.name for path in (tmp_path / "second").iterdir())
    for name in first:
        assert (tmp_path / "first" / name).read_text() == (tmp_path / "second" / name).read_text()


@pytest.mark.django_db
def test_exporting_the_seed_site_gives_back_the_seed_files(seeded, tmp_path):
    call("export_markdown", tmp_path)

    sources = sorted(SEED_POSTS.glob("*.md"))
    assert len(sources) == 13
    assert sorted(path.name for path in tmp_path.iterdir()) == [path.name for path in sources]
    for source in sources:
        assert (tmp_path / source.name).read_text() == source.read_text(), source.name
