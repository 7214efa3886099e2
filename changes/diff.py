"""What changed between two published versions of a compilation's body.

Plain functions over the outline (blog.outline) of each version's raw StreamField data: no
database, no request. Sections and entries are matched by their stored block ids, which
survive edits; when a block has no id (data written before ids were kept), a section is
matched by its anchor and an entry by its post id or URL.
"""

from dataclasses import dataclass

from blog import outline

# Kinds of change, in the order a reader meets them within one publish.
SECTION_ADDED = "section-added"
SECTION_REMOVED = "section-removed"
SECTION_REVIEWED = "section-reviewed"
ENTRY_ADDED = "entry-added"
ENTRY_REMOVED = "entry-removed"
ENTRY_MOVED = "entry-moved"
ANNOTATION_CHANGED = "annotation-changed"
LINK_CHANGED = "link-changed"

KIND_ORDER = [
    SECTION_ADDED,
    SECTION_REVIEWED,
    ENTRY_ADDED,
    ENTRY_MOVED,
    LINK_CHANGED,
    ANNOTATION_CHANGED,
    ENTRY_REMOVED,
    SECTION_REMOVED,
]


@dataclass(frozen=True)
class Change:
    """One change a reader can see. `anchor` is the section to link to on the compilation
    (empty for a removed section: there is nothing left to link to)."""

    kind: str
    heading: str  # the section's heading (where the entry is now, or was when removed)
    anchor: str
    title: str = ""  # the entry's title (a post entry: its page id until resolved)
    page_id: int | None = None  # a post entry: the post, whose title the view looks up
    url: str = ""  # a link entry: its target (the new one when it changed)
    previous: str = ""  # what it was: the former section, URL or annotation
    current: str = ""  # what it is now: the new annotation, or the reviewed date


def _section_key(section):
    return ("id", section.id) if section.id else ("anchor", section.anchor)


def _entry_key(entry):
    if entry.id:
        return ("id", entry.id)
    if entry.kind == "post" and entry.page_id:
        return ("page", entry.page_id)
    return ("url", entry.url)


def _fallback_key(entry):
    """The key an entry is matched by when the other version has no id for it."""
    if entry.kind == "post" and entry.page_id:
        return ("page", entry.page_id)
    return ("url", entry.url)


def _entry_change(kind, entry, section, **extra):
    return Change(
        kind=kind,
        heading=section.heading,
        anchor="" if kind == ENTRY_REMOVED else section.anchor,
        title=entry.title,
        page_id=entry.page_id,
        url=entry.url,
        **extra,
    )


def _entries_by_key(sections):
    """{key: (entry, section)} for every entry, under its id key and its fallback key."""
    found = {}
    for section in sections:
        for entry in section.entries:
            found.setdefault(_entry_key(entry), (entry, section))
            found.setdefault(_fallback_key(entry), (entry, section))
    return found


def _match(entry, others):
    """The (entry, section) in `others` that is the same entry, if any."""
    if entry.id and ("id", entry.id) in others:
        return others[("id", entry.id)]
    match = others.get(_fallback_key(entry))
    # Two different ids never match by URL: an entry replaced by another to the same page is
    # a removal and an addition only when both carry ids; data without ids falls back.
    if match is not None and entry.id and match[0].id and match[0].id != entry.id:
        return None
    return match


def _pair_sections(old_sections, new_sections):
    """{index in new: index in old} for the sections present in both versions."""
    pairs = {}
    old_keys = {_section_key(section): number for number, section in enumerate(old_sections)}
    for number, section in enumerate(new_sections):
        found = old_keys.get(_section_key(section))
        if found is None:
            # One side without ids: the same section is the one with the same anchor.
            found = next(
                (
                    index
                    for index, old in enumerate(old_sections)
                    if (not old.id or not section.id) and old.anchor == section.anchor
                ),
                None,
            )
        if found is not None and found not in pairs.values():
            pairs[number] = found
    return pairs


def compare(old_raw, new_raw):
    """The Changes from `old_raw` to `new_raw` (each a compilation body's raw data; old_raw
    None for the first publish), in KIND_ORDER, then in reading order.

    A new section is one change (its entries come with it), and so is a removed one.
    """
    old_sections = list(outline.sections(old_raw or []))
    new_sections = list(outline.sections(new_raw or []))
    pairs = _pair_sections(old_sections, new_sections)
    kept_old = set(pairs.values())
    changes = []

    for number, section in enumerate(new_sections):
        if number not in pairs:
            changes.append(
                Change(
                    SECTION_ADDED,
                    section.heading,
                    section.anchor,
                    current=str(len(section.entries)),
                )
            )
            continue
        before = old_sections[pairs[number]]
        if section.reviewed and section.reviewed != before.reviewed:
            changes.append(
                Change(
                    SECTION_REVIEWED,
                    section.heading,
                    section.anchor,
                    previous=before.reviewed,
                    current=section.reviewed,
                )
            )
    for number, section in enumerate(old_sections):
        if number not in kept_old:
            changes.append(Change(SECTION_REMOVED, section.heading, ""))

    # Which old section each new section is, by identity (object id), for "moved".
    same_section = {id(new_sections[n]): id(old_sections[o]) for n, o in pairs.items()}
    old_entries = _entries_by_key(old_sections)
    new_entries = _entries_by_key(new_sections)
    for number, section in enumerate(new_sections):
        for entry in section.entries:
            match = _match(entry, old_entries)
            if match is None:
                if number in pairs:
                    changes.append(_entry_change(ENTRY_ADDED, entry, section))
                continue
            before, old_section = match
            if same_section.get(id(section)) != id(old_section):
                changes.append(
                    _entry_change(ENTRY_MOVED, entry, section, previous=old_section.heading)
                )
            if before.kind == entry.kind == "link" and before.url != entry.url:
                changes.append(_entry_change(LINK_CHANGED, entry, section, previous=before.url))
            elif before.kind == entry.kind == "post" and before.page_id != entry.page_id:
                changes.append(
                    _entry_change(LINK_CHANGED, entry, section, previous=str(before.page_id))
                )
            if before.annotation != entry.annotation:
                changes.append(
                    _entry_change(
                        ANNOTATION_CHANGED,
                        entry,
                        section,
                        previous=before.annotation,
                        current=entry.annotation,
                    )
                )
    for number, section in enumerate(old_sections):
        if number not in kept_old:
            continue  # removed with its section (or moved: reported above)
        for entry in section.entries:
            if _match(entry, new_entries) is None:
                changes.append(_entry_change(ENTRY_REMOVED, entry, section))

    order = {kind: number for number, kind in enumerate(KIND_ORDER)}
    return sorted(changes, key=lambda change: order[change.kind])
