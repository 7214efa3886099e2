"""Build the site from the seed content in markdown_io/seed/: run it as often as you like."""

import datetime
import tomllib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Locale, Page, Site

from blog.models import (
    Author,
    CompilationPage,
    Topic,
    TopicIndexPage,
    TopicPostPage,
    in_default_language,
)
from blog.sections import split_into_sections
from editorial.roles import ensure_roles
from home.models import HomePage
from markdown_io.compilations import with_stable_ids
from markdown_io.posts import FrontMatterError, body_blocks, parse_post
from serving.site_url import site_address
from translations.pages import translate

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "seed"


class Command(BaseCommand):
    help = (
        "Create the home page, the post index, the posts and the compilation from "
        "markdown_io/seed/, and the home page and compilation in each other language that has "
        "a site.<language>.toml there. Pages that already exist (by slug, or as a translation) "
        "are left as they are; --reset rebuilds them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the seeded pages first and rebuild them."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has a home page (used by `make run`).",
        )
        parser.add_argument(
            "--source", type=Path, default=SEED_DIR, help="Folder with site.toml and posts/."
        )

    def handle(self, *args, reset=False, if_empty=False, source=SEED_DIR, **options):
        if if_empty and not reset and HomePage.objects.exists():
            self.stdout.write("The site already has content; nothing loaded.")
            return
        site_file = source / "site.toml"
        if not site_file.exists():
            raise CommandError(f"{site_file} not found")
        try:
            data = tomllib.loads(site_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CommandError(f"{site_file}: {error}") from error
        try:
            posts = [
                parse_post(path.read_text(encoding="utf-8"), path)
                for path in sorted((source / "posts").glob("*.md"))
            ]
        except FrontMatterError as error:
            raise CommandError(str(error)) from error

        with transaction.atomic():
            if reset:
                self.reset()
            self.created = 0
            topics = self.snippets(Topic, data.get("topics", []), ("name", "description"))
            authors = self.snippets(Author, data.get("authors", []), ("name", "bio", "link"))
            home = self.home(data.get("home", {}))
            index = self.child(
                home, TopicIndexPage, slug="posts", title="Posts", intro=data.get("posts_intro", "")
            )
            post_pages = {}
            for number, post in enumerate(posts, start=1):
                post_pages[post.slug] = self.post(index, post, topics, authors)
                self.stdout.write(f"  [{number}/{len(posts)}] {post.slug}")
            compilation = self.compilation(home, data["compilation"], post_pages)
            if home.featured_compilation_id != compilation.pk:
                home.featured_compilation = compilation
                home.save_revision().publish()
            for code, _name in settings.LANGUAGES[1:]:
                translated_file = source / f"site.{code}.toml"
                if translated_file.exists():
                    self.translations(code, translated_file, data, home, compilation)
                    self.topic_translations(code, translated_file, topics)
            # The editorial groups and the moderation workflow (editorial/roles.py).
            roles = ensure_roles()
            self.stdout.write(f"  groups: {', '.join(roles)}")
        verb = "Created" if self.created else "Nothing to create:"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {self.created} pages; the site has {len(post_pages)} posts and "
                f"{len(compilation.body)} compilation sections."
            )
        )

    def reset(self):
        for home in HomePage.objects.all():
            self.stdout.write(f"Deleting {home.title!r} and {home.get_descendants().count()} pages")
            home.delete()
        # Pages only: snippets (topics, authors) may be shared with pages editors wrote.

    def snippets(self, model, rows, fields):
        found = {}
        for row in rows:
            obj, made = model.objects.filter(in_default_language()).get_or_create(
                slug=row["slug"],
                defaults={name: row.get(name, "") for name in fields},
            )
            found[obj.slug] = obj
            if made:
                self.stdout.write(f"  {model._meta.verbose_name} {obj.slug}")
        return found

    def home(self, data):
        root = Page.get_first_root_node()
        # The default language's home: its translations are siblings with the same slug.
        home = (
            HomePage.objects.child_of(root).filter(slug="home", locale=Locale.get_default()).first()
        )
        if home is None:
            # A fresh Wagtail database has a placeholder "Welcome" page at the site root.
            for placeholder in Page.objects.child_of(root).filter(slug="home"):
                placeholder.delete()
            home = root.add_child(
                instance=HomePage(
                    title=data.get("title", "Django at Scale"),
                    slug="home",
                    intro=data.get("intro", ""),
                )
            )
            home.save_revision().publish()
            self.created += 1
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port = site_address(settings.SITE_URL)
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name="Django at Scale",
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        return home

    def child(self, parent, model, slug, **fields):
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = parent.add_child(instance=model(slug=slug, **fields))
            page.save_revision().publish()
            self.created += 1
        return page

    def post(self, index, post, topics, authors):
        existing = TopicPostPage.objects.child_of(index).filter(slug=post.slug).first()
        if existing is not None:
            return existing
        if post.topic not in topics:
            raise CommandError(f"{post.path}: unknown topic {post.topic!r}")
        missing = [slug for slug in post.authors if slug not in authors]
        if missing:
            raise CommandError(f"{post.path}: unknown author(s) {', '.join(missing)}")
        page = TopicPostPage(
            title=post.title,
            slug=post.slug,
            summary=post.summary,
            applies_to=post.applies_to,
            date=post.date,
            topic=topics[post.topic],
            body=body_blocks(post.body),
        )
        page.authors.set([authors[slug] for slug in post.authors])
        page.tags.set(post.tags)
        index.add_child(instance=page)
        day = post.date or datetime.date.today()
        published = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        page.save_revision().publish()
        TopicPostPage.objects.filter(pk=page.pk).update(
            first_published_at=published, last_published_at=published
        )
        self.created += 1
        return page

    def compilation(self, home, data, post_pages):
        page = CompilationPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if page is not None:
            # A database seeded before sections were pages gets them now (once).
            split_into_sections(page)
            return page
        sections = []
        for section in data["sections"]:
            entries = []
            for entry in section.get("entries", []):
                if "post" in entry:
                    if entry["post"] not in post_pages:
                        raise CommandError(f"site.toml: no post with the slug {entry['post']!r}")
                    value = {"page": post_pages[entry["post"]].pk}
                    kind = "post"
                else:
                    value = {key: entry[key] for key in ("url", "title", "source")}
                    kind = "link"
                value["annotation"] = entry.get("annotation", "").strip()
                # Stored ids keep each entry's API id through reordering and edits.
                entries.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
            sections.append(
                {
                    "id": str(uuid.uuid4()),
                    "type": "section",
                    "value": {
                        "heading": section["heading"],
                        "anchor": section.get("anchor", ""),
                        "reviewed": str(section["reviewed"]) if section.get("reviewed") else None,
                        "applies_to": section.get("applies_to", ""),
                        "text": section.get("text", "").strip(),
                        "entries": entries,
                    },
                }
            )
        page = home.add_child(
            instance=CompilationPage(
                title=data["title"],
                slug=data["slug"],
                summary=data.get("summary", ""),
                intro=data.get("intro", "").strip(),
                # Stable block ids: the seed loaded twice, or exported and imported, has the
                # same ids, so revision compare matches blocks instead of replacing them all.
                body=with_stable_ids(data["slug"], sections),
                has_section_pages=False,
            )
        )
        page.save_revision().publish()
        # Each section becomes a page of its own, with the block ids as translation keys.
        self.created += 1 + len(split_into_sections(page))
        page.refresh_from_db()
        return page

    def translations(self, code, path, data, home, compilation):
        """The home page and the compilation in another language, as wagtail-localize
        translations of the English ones, with the text of site.<code>.toml; only those
        missing are made."""
        try:
            translated = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CommandError(f"{path}: {error}") from error
        locale, _ = Locale.objects.get_or_create(language_code=code)
        home_strings = paired(
            (data.get("home", {}).get(key), translated.get("home", {}).get(key))
            for key in ("title", "intro")
        )
        if home.get_translation_or_none(locale) is None:
            translate(home, code, home_strings)
            self.created += 1
            self.stdout.write(f"  home page in {code}")
        # The translated home features the compilation in its language (HomePage.showcase).
        strings = compilation_strings(path, data["compilation"], translated)
        if compilation.get_translation_or_none(locale) is None:
            translate(compilation, code, strings)
            self.created += 1
            self.stdout.write(f"  compilation in {code}")
        # Then its sections, each a translation of the English section: the translated
        # compilation's body is assembled from them as each is published.
        for section in compilation.section_pages(live=False):
            if section.get_translation_or_none(locale) is None:
                translate(section, code, strings)
                self.created += 1

    def topic_translations(self, code, path, topics):
        """The topics in another language (`[[topics]]` of site.<code>.toml, by slug), as
        wagtail-localize translations of the English ones; only those missing are made."""
        translated = tomllib.loads(path.read_text(encoding="utf-8"))
        locale = Locale.objects.get(language_code=code)
        for row in translated.get("topics", []):
            topic = topics.get(row.get("slug"))
            if topic is None:
                raise CommandError(f"{path}: unknown topic {row.get('slug')!r}")
            if topic.get_translation_or_none(locale) is not None:
                continue
            strings = paired((getattr(topic, key), row.get(key)) for key in ("name", "description"))
            translate(topic, code, strings)
            self.stdout.write(f"  topic {topic.slug} in {code}")


def paired(pairs):
    """{source: translation} for the pairs where both are given, each also stripped (the seed
    stores some texts stripped, some as written)."""
    strings = {}
    for original, text in pairs:
        if original and text:
            strings[original] = text
            strings[original.strip()] = text.strip()
    return strings


def compilation_strings(path, english, translated):
    """{English text: translation} for the compilation: its title, summary and intro, and each
    section's heading, text and annotations, matched by the section's anchor."""
    other = translated.get("compilation", {})
    pairs = [(english.get(key), other.get(key)) for key in ("title", "summary", "intro")]
    by_anchor = {section.get("anchor"): section for section in other.get("sections", [])}
    for section in english["sections"]:
        match = by_anchor.get(section.get("anchor"))
        if match is None:
            continue  # left in English: the translation falls back to the source
        pairs += [(section.get(key), match.get(key)) for key in ("heading", "text")]
        annotations = match.get("annotations", [])
        entries = section.get("entries", [])
        if annotations and len(annotations) != len(entries):
            raise CommandError(
                f"{path}: section {section.get('anchor')!r} has {len(entries)} entries but "
                f"{len(annotations)} annotations"
            )
        pairs += [
            (entry.get("annotation"), text)
            for entry, text in zip(entries, annotations, strict=False)
        ]
    return paired(pairs)
