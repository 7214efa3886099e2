"""Write every post out as a Markdown file with front matter; import_markdown reads them back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.models import TopicIndexPage, TopicPostPage
from markdown_io.posts import PostFile, blocks_to_markdown, format_post


class Command(BaseCommand):
    help = (
        "Write each post to DIR/<slug>.md: front matter, then the body as Markdown (code "
        "blocks fenced, notes as > [!NOTE], a closing Further reading list). By default the "
        "latest revision of every post, drafts included."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write to (created if needed).")
        parser.add_argument(
            "--live", action="store_true", help="Only live posts, as they are published."
        )
        parser.add_argument("--index", metavar="SLUG", help="Only the posts of this post index.")

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
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(pages)} posts to {directory}."))
