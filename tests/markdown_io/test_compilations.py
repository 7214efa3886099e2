"""Compilations as Markdown files (markdown_io/compilations.py): export_markdown writes one file
per compilation and import_markdown reads it back, sections, entries, annotations, reviewed
dates and applies-to included."""

import pytest
from django.core.management.base import CommandError
from wagtail.models import Locale

from blog.models import CompilationPage
from markdown_io.management.commands.import_markdown import _without_ids, drafted_body
from tests.markdown_io.conftest import call

SLUG = "django-at-scale-in-production"


def compilation():
    return CompilationPage.objects.get(slug=SLUG, locale=Locale.get_default())


def export(tmp_path):
    call("export_markdown", tmp_path)
    return tmp_path / f"{SLUG}.md"


@pytest.mark.django_db
def test_a_compilation_is_written_as_one_markdown_file(seeded, tmp_path):
    text = export(tmp_path).read_text()

    assert text.startswith(
        f"---\ntype: compilation\ntitle: Django at Scale in Production\nslug: {SLUG}\n"
    )
    settings = "<!--\nanchor: why-django\nreviewed: 2026-10-20\napplies_to: Django 5.2\n-->"
    assert f"\n## Why Django\n{settings}\n" in text
    assert "](<post:why-django>) — Our case for Django on large projects" in text
    url = "https://docs.djangoproject.com/en/5.2/misc/design-philosophies/"
    assert f"- [Design philosophies](<{url}>) · Django docs — " in text


@pytest.mark.django_db
def test_importing_the_exported_file_changes_nothing(seeded, tmp_path):
    path = export(tmp_path)
    revisions = compilation().revisions.count()

    output = call("import_markdown", path)

    assert f"compilation {SLUG}: unchanged" in output
    assert compilation().revisions.count() == revisions


@pytest.mark.django_db
def test_a_compilation_comes_back_whole_into_an_empty_site(seeded, tmp_path):
    path = export(tmp_path)
    page = compilation()
    before = {
        "title": page.title,
        "summary": page.summary,
        "intro": page.intro,
        "body": list(page.body.raw_data),
    }
    page.delete()

    output = call("import_markdown", "--publish", path)

    assert f"compilation {SLUG}: created, published" in output
    page = compilation()
    assert page.live
    assert page.title == before["title"] and page.summary == before["summary"]
    assert page.intro == before["intro"]
    assert _without_ids(list(page.body.raw_data)) == _without_ids(before["body"])
    # The same block ids as the seed gave them: a revision compare sees no change.
    assert [b["id"] for b in page.body.raw_data] == [b["id"] for b in before["body"]]


@pytest.mark.django_db
def test_an_edited_annotation_is_a_new_revision_with_the_same_block_ids(seeded, tmp_path):
    path = export(tmp_path)
    text = path.read_text()
    old = "Our case for Django on large projects"
    path.write_text(text.replace(old, "Why Django, in one page"))
    before = list(compilation().body.raw_data)

    output = call("import_markdown", path)

    assert f"compilation {SLUG}: new revision (draft; the live version is unchanged)" in output
    after = drafted_body(compilation())
    assert [b["id"] for b in after] == [b["id"] for b in before]
    changed = [
        (b["value"]["heading"], e["value"]["annotation"])
        for a, b in zip(before, after, strict=True)
        for d, e in zip(a["value"]["entries"], b["value"]["entries"], strict=True)
        if d != e
    ]
    assert len(changed) == 1 and changed[0][1].startswith("Why Django, in one page")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("(<post:why-django>)", "(<post:no-such-post>)"),
            r":\d+: no post with the slug 'no-such-post'",
        ),
        (("](<post:why-django>)", "](post:why-django)"), r":\d+: expected an entry like"),
        (("reviewed: 2026-10-20", "reviewed: soon"), r":\d+: reviewed must be YYYY-MM-DD"),
        (("type: compilation\n", "type: compilation\ncolour: red\n"), r":3: unknown key 'colour'"),
    ],
)
def test_a_bad_compilation_file_names_its_line_and_imports_nothing(
    seeded, tmp_path, change, message
):
    path = export(tmp_path)
    path.write_text(path.read_text().replace(*change, 1))
    revisions = compilation().revisions.count()

    with pytest.raises(CommandError, match=message):
        call("import_markdown", path)

    assert compilation().revisions.count() == revisions


@pytest.mark.django_db
def test_an_imported_file_writes_the_section_pages_order_and_removals(seeded, tmp_path):
    path = export(tmp_path)
    text = path.read_text()
    parts = text.split("\n## ")
    head, sections = parts[0], parts[1:]
    # The second section first, the last one gone.
    reordered = [sections[1], sections[0], *sections[2:-1]]
    path.write_text("\n## ".join([head, *reordered]))
    before = [s.slug for s in compilation().section_pages()]

    output = call("import_markdown", "--publish", path)

    assert f"compilation {SLUG}: new revision, published" in output
    page = compilation()
    assert [s.slug for s in page.section_pages()] == [before[1], before[0], *before[2:-1]]
    assert [b.value["anchor"] for b in page.body] == [before[1], before[0], *before[2:-1]]
    gone = page.section_pages(live=False).get(slug=before[-1])
    assert not gone.live and gone.revisions.exists()  # unpublished, its history kept
