"""`manage.py export_markdown` (markdown_io/management/commands/export_markdown.py): posts written
as Markdown files that import_markdown reads back unchanged, the seed's own files among them."""

import pytest
from wagtail.models import Locale

from blog.models import TopicPostPage
from markdown_io.management.commands.import_markdown import post_content
from markdown_io.management.commands.load_compilation import SEED_DIR
from tests import factories
from tests.markdown_io.conftest import call

SEED_POSTS = SEED_DIR / "posts"


@pytest.mark.django_db
def test_export_writes_what_import_read(index, snippets, post_file, tmp_path):
    call("import_markdown", post_file)

    call("export_markdown", tmp_path / "out")

    exported = (tmp_path / "out" / "caching-guide.md").read_text()
    assert exported.startswith("---\ntitle: 'Caching: a field guide'\nslug: caching-guide\n")
    assert "tags: [redis, cache]\n" in exported
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
    home = factories.HomePage.objects.get(locale=Locale.get_default())
    factories.make_index(home, slug="copy", title="Copy")
    call("export_markdown", "--index", "posts", tmp_path / "first")

    output = call("import_markdown", "--index", "copy", tmp_path / "first")
    call("export_markdown", "--index", "copy", tmp_path / "second")

    assert "Imported: 20 created (draft)." in output
    originals = TopicPostPage.objects.filter(path__startswith=home.path).exclude(
        url_path__startswith="/home/copy/"
    )
    copies = {p.slug: p for p in TopicPostPage.objects.filter(url_path__startswith="/home/copy/")}
    assert len(originals) == len(copies) == 20
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
    assert len(sources) == 20
    compilation = "django-at-scale-in-production.md"
    # The French compilation too, named after its language (its front matter says it).
    french = "django-at-scale-in-production.fr.md"
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted([compilation, french, *(path.name for path in sources)])
    assert "\nlanguage: fr\n" in (tmp_path / french).read_text()
    assert "language:" not in (tmp_path / compilation).read_text()
    for source in sources:
        assert (tmp_path / source.name).read_text() == source.read_text(), source.name
