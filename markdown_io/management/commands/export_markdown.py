"""Write every post and compilation out as a Markdown file with YAML front matter;
import_markdown reads them back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from blog.models import CompilationPage, TopicIndexPage, TopicPostPage
from markdown_io.compilations import format_compilation
from markdown_io.posts import PostFile, blocks_to_markdown, format_post


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
        for number, page in enumerate(pages, start=1):
            post = page if live else page.get_latest_revision_as_object()
            body, approximate = blocks_to_markdown(list(post.body.raw_data))
            text = format_post(
                PostFile(
                    path=directory / f"{post.slug}.md",
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
                )
            )
            (directory / f"{post.slug}.md").write_text(text, encoding="utf-8")
            note = ""
            if approximate:
                note = f" (written as Markdown, not exact: {', '.join(sorted(set(approximate)))})"
            self.stdout.write(f"  [{number}/{len(pages)}] {post.slug}.md{note}")
        written = {page.slug for page in pages}
        compilations = [] if index else self.compilations(directory, live, written)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(pages)} posts and {len(compilations)} compilations to {directory}."
            )
        )

    def compilations(self, directory, live, written):
        # The default language's compilations: a translation shares its source's slug, and its
        # text travels as a PO file (wagtail-localize's download in the admin).
        pages = CompilationPage.objects.filter(locale=Locale.get_default()).order_by("path")
        if live:
            pages = pages.live()
        pages = [page if live else page.get_latest_revision_as_object() for page in pages]
        clash = [page.slug for page in pages if page.slug in written]
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
            (directory / f"{page.slug}.md").write_text(text, encoding="utf-8")
            note = f" (left out: {'; '.join(problems)})" if problems else ""
            self.stdout.write(f"  compilation {page.slug}.md{note}")
        return pages
