"""Write every post and compilation out as a Markdown file with YAML front matter;
import_markdown reads them back."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from blog.models import CompilationPage, TopicIndexPage, TopicPostPage
from markdown_io.compilations import format_compilation
from markdown_io.posts import PostFile, blocks_to_markdown, format_post, written_language


def file_name(slug, language):
    """<slug>.md in the default language, <slug>.<language>.md in the others (a translation
    shares its source's slug)."""
    if not language or language == settings.LANGUAGE_CODE:
        return f"{slug}.md"
    return f"{slug}.{language}.md"


class Command(BaseCommand):
    help = (
        "Write each post to DIR/<slug>.md: front matter, then the body as Markdown (code "
        "blocks fenced, notes as > [!NOTE], a closing Further reading list), and each "
        "compilation to DIR/<slug>.md (sections, entries, annotations, reviewed dates, "
        "applies-to). By default the latest revision of every page, drafts included."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write to (created if needed).")
        parser.add_argument(
            "--live", action="store_true", help="Only live posts, as they are published."
        )
        parser.add_argument(
            "--index", metavar="SLUG", help="Only the posts of this post index (no compilations)."
        )

    def handle(self, *args, directory, live=False, index=None, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a folder.")
        directory.mkdir(parents=True, exist_ok=True)
        pages = TopicPostPage.objects.order_by("path")
        if live:
            pages = pages.live()
        if index:
            parent = TopicIndexPage.objects.filter(slug=index).first()
            if parent is None:
                raise CommandError(f"No post index with the slug {index!r}.")
            pages = pages.child_of(parent)
        pages = list(pages)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        for number, page in enumerate(pages, start=1):
            post = page if live else page.get_latest_revision_as_object()
            body, approximate = blocks_to_markdown(list(post.body.raw_data))
            language = languages.get(post.locale_id, "")
            name = file_name(post.slug, language)
            text = format_post(
                PostFile(
                    path=directory / name,
                    title=post.title,
                    slug=post.slug,
                    summary=post.summary,
                    applies_to=post.applies_to,
                    date=post.date,
                    topic=post.topic.slug,
                    # In the order they were given, as the file that was imported listed them:
                    # the order they were stored in (the database returns them in any order).
                    tags=[
                        item.tag.name
                        for item in sorted(post.tagged_items.all(), key=lambda item: item.pk or 0)
                    ],
                    authors=[author.slug for author in post.authors.all()],
                    body=body,
                    language=written_language(language),
                )
            )
            (directory / name).write_text(text, encoding="utf-8")
            note = ""
            if approximate:
                note = f" (written as Markdown, not exact: {', '.join(sorted(set(approximate)))})"
            self.stdout.write(f"  [{number}/{len(pages)}] {name}{note}")
        written = {file_name(page.slug, languages.get(page.locale_id, "")) for page in pages}
        compilations = [] if index else self.compilations(directory, live, written)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(pages)} posts and {len(compilations)} compilations to {directory}."
            )
        )

    def compilations(self, directory, live, written):
        # Every language's compilations; a translation shares its source's slug, so its file
        # is named after its language too (it also travels as a PO file: wagtail-localize's
        # download in the admin).
        pages = CompilationPage.objects.select_related("locale").order_by("path")
        if live:
            pages = pages.live()
        pages = [page if live else page.get_latest_revision_as_object() for page in pages]
        clash = [
            page.slug
            for page in pages
            if file_name(page.slug, page.locale.language_code) in written
        ]
        if clash:
            raise CommandError(
                f"A post and a compilation share the slug {clash[0]!r}; one file cannot hold both."
            )
        posts = {
            pk: (slug, title)
            for pk, slug, title in TopicPostPage.objects.values_list("pk", "slug", "title")
        }
        for page in pages:
            # The sections are pages of their own: their latest revisions, unless only what
            # is live is exported (the live body is assembled from their live versions).
            if not live:
                page.body = [
                    section.get_latest_revision_as_object().as_block()
                    for section in page.section_pages(live=False)
                ]
            text, problems = format_compilation(page, posts)
            name = file_name(page.slug, page.locale.language_code)
            (directory / name).write_text(text, encoding="utf-8")
            note = f" (left out: {'; '.join(problems)})" if problems else ""
            self.stdout.write(f"  compilation {name}{note}")
        return pages
