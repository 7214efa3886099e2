"""A compilation's sections as pages of their own, and the body assembled from them.

Each section of a compilation is a CompilationSectionPage below it, edited, previewed,
scheduled and moderated on its own, so an editing unit stays small however many entries the
compilation has. Readers, the API, search, link health, the changes log and Markdown export read
the compilation's `body`: the live sections assembled in tree order. Whenever a section is
published, unpublished, deleted or moved, the body is assembled again and, when it changed,
published as a new revision of the compilation; a draft of the compilation waiting at that
moment stays its latest revision, unpublished, with the new body.
"""

import copy
import datetime
import uuid

from django.db import transaction
from django.dispatch import Signal
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from .models import CompilationPage, CompilationSectionPage
from .outline import section_anchor

# Sent once a section's change is published on its compilation: the changes app carries the
# section's note for readers over to the compilation's revision.
sections_assembled = Signal()  # compilation, revision, section, section_revision

ASSEMBLED = "blog.sections_assembled"
# While split_into_sections or write_sections changes several sections, their publishing
# assembles nothing; the compilation is assembled once at the end.
_splitting = set()
# Compilations being deleted: their sections' deletion assembles nothing.
_deleting = set()


@transaction.atomic
def assemble(compilation, section=None, user=None, exclude=()):
    """Publish the compilation's body assembled from its live sections, when it changed.

    Returns the revision published, or None. A compilation that is not live is left as it is:
    its body is assembled when it is published. A waiting draft of the compilation stays its
    latest revision (with the new body), as do revisions scheduled or in moderation.
    """
    # Locked: two sections published at once are assembled one after the other, the second
    # with the first's change in place.
    compilation = CompilationPage.objects.select_for_update().filter(pk=compilation.pk).first()
    if (
        compilation is None
        or not compilation.has_section_pages
        or compilation.pk in _splitting
        or compilation.pk in _deleting
        or not compilation.live
    ):
        return None
    body = compilation.assembled_body(exclude=exclude)
    if _comparable(compilation.body.raw_data) == _comparable(body):
        return None
    latest = compilation.get_latest_revision()
    draft = latest if compilation.has_unpublished_changes and latest else None
    scheduled = dict(
        compilation.revisions.filter(approved_go_live_at__isnull=False).values_list(
            "pk", "approved_go_live_at"
        )
    )
    live = compilation.live_revision
    base = compilation.with_content_json(live.content) if live is not None else compilation
    base.body = body
    base.body_assembled = True
    revision = base.save_revision(user=user, clean=False)
    action = PublishPageRevisionAction(revision, user=user)
    # Not a decision on the compilation: a moderation under way on it goes on.
    action.object._current_workflow_states = []
    action.execute(skip_permission_checks=True)
    if scheduled:
        # Publishing cleared every revision's schedule: the compilation's own stand.
        for pk, go_live_at in scheduled.items():
            compilation.revisions.filter(pk=pk).update(approved_go_live_at=go_live_at)
    if draft is not None:
        fresh = CompilationPage.objects.get(pk=compilation.pk)
        waiting = fresh.with_content_json(draft.content)
        waiting.body = body
        waiting.body_assembled = True
        waiting.save_revision(user=draft.user, clean=False)
    if section is not None:
        log(
            instance=compilation,
            action=ASSEMBLED,
            user=user,
            revision=revision,
            data={"section": {"id": section.pk, "title": section.title}},
        )
    sections_assembled.send(
        sender=CompilationPage,
        compilation=compilation,
        revision=revision,
        section=section,
        section_revision=getattr(section, "live_revision", None) if section else None,
    )
    return revision


def _comparable(raw):
    return [dict(block) for block in raw]


def _compilation_of(section):
    parent_path = section.path[: -section.steplen]
    return CompilationPage.objects.filter(path=parent_path).first()


# Signal receivers (connected in BlogConfig.ready) -------------------------------------------


def section_published(sender, instance, revision=None, **kwargs):
    compilation = _compilation_of(instance)
    if compilation is not None:
        assemble(compilation, instance, user=getattr(revision, "user", None))


def section_unpublished(sender, instance, **kwargs):
    compilation = _compilation_of(instance)
    if compilation is not None:
        # Wagtail unpublishes a page about to be deleted without saving it: left out by pk.
        assemble(compilation, instance, exclude={instance.pk})


def section_deleted(sender, instance, **kwargs):
    compilation = _compilation_of(instance)
    if compilation is not None:
        assemble(compilation, instance, exclude={instance.pk})


def section_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    for parent in {parent_page_before.pk, parent_page_after.pk}:
        compilation = CompilationPage.objects.filter(pk=parent).first()
        if compilation is not None:
            assemble(compilation, instance.specific)


def compilation_deleting(sender, instance, **kwargs):
    _deleting.add(instance.pk)


def compilation_deleted(sender, instance, **kwargs):
    _deleting.discard(instance.pk)


# Splitting a compilation's body into section pages -----------------------------------------


@transaction.atomic
def split_into_sections(compilation):
    """Make a section page of each section of the compilation's body, keeping block ids (a
    section's id becomes its translation key) and the compilation's revisions as they are;
    then mark it split. Run again, it does nothing. Returns the sections made.

    A live compilation's sections are made from its live body and published; the sections of a
    waiting draft of its body become drafts of them (new ones as drafts), so nothing an editor
    wrote is lost. A compilation never published gets draft sections from its latest revision.
    """
    compilation = CompilationPage.objects.select_for_update().get(pk=compilation.pk)
    if compilation.has_section_pages:
        return []
    made = []
    live = compilation.live
    latest = compilation.get_latest_revision_as_object()
    body = compilation.body.raw_data if live else latest.body.raw_data
    _splitting.add(compilation.pk)
    try:
        existing = {s.slug: s for s in compilation.section_pages(live=False)}
        for raw in body:
            if raw.get("type") != "section":
                continue
            section = _section_from_block(compilation, raw, existing, publish=live)
            if section is not None:
                made.append(section)
    finally:
        _splitting.discard(compilation.pk)
    drafted = list(latest.body.raw_data)
    if live and compilation.has_unpublished_changes and drafted != list(body):
        write_sections(compilation, drafted, publish=False)
    CompilationPage.objects.filter(pk=compilation.pk).update(has_section_pages=True)
    return made


def _section_from_block(compilation, raw, existing, publish=True):
    fields = _fields(raw.get("value") or {})
    if fields["slug"] in {names[0] for names in CompilationPage.SUBPAGES}:
        fields["slug"] = f"{fields['slug']}-section"
    slug = fields["slug"]
    if slug in existing:
        return None
    key = _free_key(raw.get("id"), compilation)
    source = _source_section(compilation, key)
    if source is not None:
        section = source.copy_for_translation(compilation.locale)
        for name, field_value in fields.items():
            setattr(section, name, field_value)
        section.save()
    else:
        section = CompilationSectionPage(
            translation_key=key, locale_id=compilation.locale_id, live=publish, **fields
        )
        compilation.add_child(instance=section)
    revision = section.save_revision(clean=False)
    if publish:
        revision.publish()
    existing[slug] = section
    return section


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _free_key(block_id, compilation):
    """The block id as a translation key, unless it is no uuid or already taken in the
    compilation's language (a copied compilation shares its block ids)."""
    try:
        key = uuid.UUID(str(block_id))
    except ValueError:
        return uuid.uuid4()
    taken = CompilationSectionPage.objects.filter(
        translation_key=key, locale_id=compilation.locale_id
    ).exists()
    return uuid.uuid4() if taken else key


def _source_section(compilation, key):
    """The section, in another language, of which the compilation's section with this key is
    a translation: only when the compilation is a translation of that section's compilation."""
    for section in CompilationSectionPage.objects.filter(translation_key=key).exclude(
        locale_id=compilation.locale_id
    ):
        parent = Page.objects.filter(path=section.path[: -section.steplen]).first()
        if parent is not None and parent.translation_key == compilation.translation_key:
            return section
    return None


def _fields(value):
    heading = value.get("heading") or ""
    return {
        "title": heading or "Section",
        "slug": section_anchor(heading, value.get("anchor")),
        "reviewed": _date(value.get("reviewed")),
        "applies_to": value.get("applies_to") or "",
        "text": value.get("text") or "",
        "entries": copy.deepcopy(list(value.get("entries") or [])),
    }


def _content(section):
    block = section.as_block()
    return block["value"]


@transaction.atomic
def write_sections(compilation, raw_body, publish=True, user=None):
    """Make the compilation's section pages say what the raw section blocks say (Markdown
    import, tests): a section is matched by its block id (its translation key), else by its
    anchor; a changed one gets a new revision, a missing one is made, and, when publishing,
    those the blocks no longer name are unpublished (kept, with their history) and the order
    follows the blocks. Drafts unless `publish`. Returns {outcome: count}."""
    counts = {}
    sections = list(compilation.section_pages(live=False))
    by_key = {str(s.translation_key): s for s in sections}
    by_slug = {s.slug: s for s in sections}
    wanted = []
    _splitting.add(compilation.pk)
    try:
        for raw in raw_body:
            if raw.get("type") != "section":
                continue
            fields = _fields(raw.get("value") or {})
            found = by_key.get(str(raw.get("id"))) or by_slug.get(fields["slug"])
            if found is None:
                section = CompilationSectionPage(
                    translation_key=_free_key(raw.get("id"), compilation),
                    locale_id=compilation.locale_id,
                    live=False,
                    **fields,
                )
                compilation.add_child(instance=section)
                outcome = "added"
            else:
                section = found.get_latest_revision_as_object()
                before = _content(section)
                for name, value in fields.items():
                    setattr(section, name, value)
                unchanged = _content(section) == before
                if (
                    unchanged
                    and (found.live or not publish)
                    and not (publish and found.has_unpublished_changes)
                ):
                    wanted.append(found)
                    counts["unchanged"] = counts.get("unchanged", 0) + 1
                    continue
                outcome = "unchanged" if unchanged else "changed"
            section.full_clean()
            revision = section.save_revision(user=user, clean=False)
            if publish:
                revision.publish(user=user)
            wanted.append(CompilationSectionPage.objects.get(pk=section.pk))
            counts[outcome] = counts.get(outcome, 0) + 1
        if publish:
            for section in sections:
                if section.pk not in {w.pk for w in wanted} and section.live:
                    section.unpublish(user=user)
                    counts["unpublished"] = counts.get("unpublished", 0) + 1
            _reorder(compilation, wanted)
    finally:
        _splitting.discard(compilation.pk)
    if publish:
        assemble(compilation, user=user)
    return counts


def _reorder(compilation, wanted):
    """Tree order following `wanted`; the sections it does not name stay after them."""
    previous = None
    for section in wanted:
        section = CompilationSectionPage.objects.get(pk=section.pk)
        if previous is None:
            first = compilation.section_pages(live=False).first()
            if first.pk != section.pk:
                section.move(first, "left")
        else:
            following = previous.get_next_sibling()
            if following is None or following.pk != section.pk:
                section.move(previous, "right")
        previous = CompilationSectionPage.objects.get(pk=section.pk)


def split_every_compilation(**kwargs):
    """After migrate: split each compilation that is not split yet (none once done)."""
    try:
        default = Locale.get_default().pk
    except Locale.DoesNotExist:
        default = None
    waiting = CompilationPage.objects.filter(has_section_pages=False).order_by("path")
    # The default language's first: a translation's sections are translations of theirs.
    for compilation in sorted(waiting, key=lambda page: page.locale_id != default):
        split_into_sections(compilation)
