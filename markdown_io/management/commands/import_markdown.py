"""Import posts and compilations from Markdown files with YAML front matter (the format of
markdown_io/seed/posts/ and markdown_io/compilations.py)."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale

from blog.models import (
    Author,
    CompilationPage,
    Topic,
    TopicIndexPage,
    TopicPostPage,
    in_default_language,
)
from blog.sections import write_sections
from home.models import HomePage
from markdown_io.compilations import (
    CompilationFile,
    is_compilation,
    parse_compilation,
    raw_body,
    with_stable_ids,
)
from markdown_io.posts import (
    KNOWN,
    FrontMatterError,
    body_blocks,
    post_from_front_matter,
    read_front_matter,
)


def _without_ids(data):
    """Raw StreamField data without the block ids Wagtail adds, for comparing content."""
    if isinstance(data, dict):
        return {key: _without_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def post_content(page):
    """What an import sets on a post, in a comparable shape."""
    return {
        "title": page.title,
        "summary": page.summary,
        "applies_to": page.applies_to,
        "date": page.date,
        "topic": page.topic_id,
        "authors": sorted(author.pk for author in page.authors.all()),
        "tags": sorted(tag.name for tag in page.tags.all()),
        "body": _without_ids(list(page.body.raw_data)),
    }


def compilation_content(page):
    """What an import sets on a compilation itself, in a comparable shape (its sections are
    section pages of their own)."""
    return {"title": page.title, "summary": page.summary, "intro": page.intro}


def drafted_body(page):
    """The compilation's sections as raw section blocks, each as its latest revision says."""
    return [
        section.get_latest_revision_as_object().as_block()
        for section in page.section_pages(live=False)
    ]


def language_of(parsed):
    """The language a parsed file's page goes into: its `language:`, else the default."""
    return parsed.language or settings.LANGUAGE_CODE


def translation_source(model, slug, locale, parent=None):
    """The default language's page with this slug that a page in `locale` translates (the
    one under `parent`'s source for a post), or None in the default language."""
    default = Locale.get_default()
    if locale.pk == default.pk:
        return None
    pages = model.objects.filter(slug=slug, locale=default).order_by("path")
    if parent is not None:
        listing = parent.get_translation_or_none(default)
        if listing is not None:
            pages = pages.child_of(listing)
    return pages.first()


class Command(BaseCommand):
    help = (
        "Import Markdown files with YAML front matter as posts (title, slug, summary, date, "
        "topic, tags, authors) or, with `type: compilation`, as compilations (sections, "
        "entries, annotations, reviewed dates, applies-to): drafts unless --publish. A page "
        "whose slug exists gets a new revision. All files are checked first; any error "
        "imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Markdown files or folders.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish what is imported (default: drafts)."
        )
        parser.add_argument(
            "--index",
            metavar="SLUG",
            help="The slug of the post index to import into (default: the first one).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; change nothing."
        )

    def handle(self, *args, paths, publish=False, index=None, dry_run=False, **options):
        parsed = [self.parse(path) for path in self.files(paths)]
        posts = [item for item in parsed if not isinstance(item, CompilationFile)]
        compilations = [item for item in parsed if isinstance(item, CompilationFile)]
        self.check_duplicates(posts)
        self.check_duplicates(compilations)
        self.check_entries(compilations, posts)
        parent = self.index(index) if posts or index else None
        # Posts name the default language's topics and authors (their translations are shown
        # in their place).
        topics = {topic.slug: topic for topic in Topic.objects.filter(in_default_language())}
        authors = {author.slug: author for author in Author.objects.filter(in_default_language())}
        for post in posts:
            if post.topic not in topics:
                raise CommandError(
                    f"{post.path}:{post.line_of('topic')}: unknown topic {post.topic!r}; "
                    f"known topics: {', '.join(sorted(topics)) or 'none yet'}"
                )
            missing = [slug for slug in post.authors if slug not in authors]
            if missing:
                raise CommandError(
                    f"{post.path}:{post.line_of('authors')}: unknown author(s) {', '.join(missing)}"
                )

        counts = {}
        with transaction.atomic():
            for number, post in enumerate(posts, start=1):
                try:
                    outcome = self.save(parent, post, topics, authors, publish)
                except ValidationError as error:
                    raise CommandError(f"{post.path}: {'; '.join(error.messages)}") from error
                counts[outcome] = counts.get(outcome, 0) + 1
                self.stdout.write(f"  [{number}/{len(posts)}] {post.slug}: {outcome}")
            for compilation in compilations:
                try:
                    outcome = self.save_compilation(compilation, publish)
                except ValidationError as error:
                    raise CommandError(
                        f"{compilation.path}: {'; '.join(error.messages)}"
                    ) from error
                counts[outcome] = counts.get(outcome, 0) + 1
                self.stdout.write(f"  compilation {compilation.slug}: {outcome}")
            if dry_run:
                transaction.set_rollback(True)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        prefix = "Dry run, nothing saved: would be " if dry_run else "Imported: "
        self.stdout.write(self.style.SUCCESS(f"{prefix}{summary or 'nothing'}."))

    def files(self, paths):
        found = []
        for path in paths:
            if path.is_dir():
                found.extend(sorted(path.glob("*.md")))
            elif path.is_file():
                found.append(path)
            else:
                raise CommandError(f"{path}: no such file or folder")
        if not found:
            raise CommandError("No Markdown (.md) files found.")
        return found

    def parse(self, path):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{path}:1: not UTF-8 text") from None
        try:
            front = read_front_matter(text, path)
            if is_compilation(front):
                return parse_compilation(front)
            for key in front.meta:
                if key not in KNOWN:
                    raise FrontMatterError(f"{path}:{front.line_of(key)}: unknown key {key!r}")
            return post_from_front_matter(front)
        except FrontMatterError as error:
            raise CommandError(str(error)) from error

    def check_entries(self, compilations, posts):
        """Every post entry names a post that exists or comes in with this import."""
        wanted = {slug for c in compilations for slug, _line in c.post_slugs()}
        known = {post.slug for post in posts}
        known |= set(TopicPostPage.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        for compilation in compilations:
            for slug, line in compilation.post_slugs():
                if slug not in known:
                    raise CommandError(f"{compilation.path}:{line}: no post with the slug {slug!r}")

    def check_duplicates(self, posts):
        seen = {}
        for post in posts:
            # A translation shares its source's slug: one file per slug and language.
            key = (post.slug, language_of(post))
            if key in seen:
                raise CommandError(
                    f"{post.path}:{post.line_of('slug')}: the slug {post.slug!r} is also used "
                    f"by {seen[key]}"
                )
            seen[key] = post.path

    def index(self, slug):
        # The default language's listing; a post in another language goes into its translation.
        indexes = TopicIndexPage.objects.filter(locale=Locale.get_default()).order_by("path")
        if slug:
            indexes = indexes.filter(slug=slug)
        parent = indexes.first()
        if parent is None:
            raise CommandError(
                f"No post index with the slug {slug!r}." if slug else "The site has no post index."
            )
        return parent

    def save_compilation(self, compilation, publish):
        """The compilation's own fields as a revision of it, and each section as a revision
        of its section page (blog.sections.write_sections): made, changed or, when
        publishing, unpublished and reordered to follow the file."""
        slugs = [slug for slug, _line in compilation.post_slugs()]
        post_ids = {}
        for slug, pk in (
            TopicPostPage.objects.filter(slug__in=slugs).order_by("path").values_list("slug", "pk")
        ):
            post_ids.setdefault(slug, pk)
        body = raw_body(compilation.sections, post_ids)
        fields = {
            "title": compilation.title,
            "summary": compilation.summary,
            "intro": compilation.intro,
        }
        # The compilation with this slug in the file's language (`language:`, else the
        # default); a translation shares its source's slug.
        locale = Locale.objects.get(language_code=language_of(compilation))
        existing = (
            CompilationPage.objects.filter(slug=compilation.slug, locale=locale)
            .order_by("path")
            .first()
        )
        source = translation_source(CompilationPage, compilation.slug, locale)
        outcome = "new revision"
        if existing is None and source is not None:
            # The translation of the default language's compilation with the same slug; its
            # sections, written below, take their ids from the source's, so each translates
            # the source's section with the same anchor.
            existing = source.copy_for_translation(locale, copy_parents=True)
            outcome = f"created (translation into {locale.language_code})"
        elif existing is None:
            home = HomePage.objects.filter(locale=locale).order_by("path").first()
            if home is None:
                raise CommandError(
                    f"{compilation.path}: the site has no home page in "
                    f"{locale.language_code!r} to put the compilation under."
                )
            page = CompilationPage(slug=compilation.slug, live=False, **fields)
            home.add_child(instance=page)
            write_sections(page, with_stable_ids(compilation.slug, body), publish=publish)
            return self.finish(page, None, "created", publish)
        page = existing.get_latest_revision_as_object()
        before = compilation_content(page)
        for name, value in fields.items():
            setattr(page, name, value)
        previous = drafted_body(existing) or (list(source.body.raw_data) if source else [])
        counts = write_sections(
            existing, with_stable_ids(compilation.slug, body, previous), publish=publish
        )
        sections_changed = any(counts.get(key) for key in ("added", "changed", "unpublished"))
        if compilation_content(page) == before:
            if not sections_changed:
                return self.unchanged(existing, publish)
            existing.refresh_from_db()
            if publish and existing.has_unpublished_changes:
                existing.latest_revision.publish()
            return self.outcome(outcome, existing, publish)
        return self.finish(page, existing, outcome, publish)

    def outcome(self, outcome, existing, publish):
        if publish:
            return f"{outcome}, published"
        if existing is not None and existing.live:
            return f"{outcome} (draft; the live version is unchanged)"
        return f"{outcome} (draft)"

    def unchanged(self, existing, publish):
        """What importing the same content again does: publishes a waiting draft if asked."""
        if publish and existing.has_unpublished_changes:
            existing.latest_revision.publish()
            return "published (unchanged)"
        return "unchanged"

    def save(self, parent, post, topics, authors, publish):
        fields = {
            "title": post.title,
            "summary": post.summary,
            "applies_to": post.applies_to,
            "date": post.date,
            "topic": topics[post.topic],
            "body": body_blocks(post.body),
        }
        locale = Locale.objects.get(language_code=language_of(post))
        if locale.pk != parent.locale_id:
            # In another language: the listing's translation holds it.
            parent = parent.get_translation_or_none(locale) or parent
        source = translation_source(TopicPostPage, post.slug, locale, parent)
        existing = (
            TopicPostPage.objects.child_of(parent).filter(slug=post.slug, locale=locale).first()
        )
        if existing is None and source is not None:
            # The translation of the default language's post with the same slug.
            existing = source.copy_for_translation(locale, copy_parents=True)
            page = existing.get_latest_revision_as_object()
            for name, value in fields.items():
                setattr(page, name, value)
            page.authors.set([authors[slug] for slug in post.authors])
            page.tags.set(post.tags)
            outcome = f"created (translation into {locale.language_code})"
        elif existing is None and locale.pk != parent.locale_id:
            raise CommandError(
                f"{post.path}:{post.line_of('language')}: no post listing in "
                f"{locale.language_code!r} and no post {post.slug!r} in the default language "
                "to translate"
            )
        elif existing is None:
            page = TopicPostPage(slug=post.slug, live=False, **fields)
            page.authors.set([authors[slug] for slug in post.authors])
            page.tags.set(post.tags)
            parent.add_child(instance=page)
            outcome = "created"
        else:
            page = existing.get_latest_revision_as_object()
            before = post_content(page)
            for name, value in fields.items():
                setattr(page, name, value)
            page.authors.set([authors[slug] for slug in post.authors])
            page.tags.set(post.tags)
            if post_content(page) == before:
                return self.unchanged(existing, publish)
            outcome = "new revision"
        return self.finish(page, existing, outcome, publish)

    def finish(self, page, existing, outcome, publish):
        page.full_clean()
        revision = page.save_revision(log_action=True)
        if publish:
            revision.publish()
        return self.outcome(outcome, existing, publish)
