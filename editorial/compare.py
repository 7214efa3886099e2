"""Revision compare for compilations: only what changed, the rest folded.

Wagtail's compare view prints every block of a StreamField, changed or not: for a compilation of
a dozen sections and eighty entries a one-entry change is a page of over 20,000 px. Here a
compilation's body lists the sections that were added, removed, moved or edited; inside an
edited section, only the entries added, removed, moved or edited; everything else is folded
into one line per run ("8 sections unchanged", "6 entries unchanged") that opens on a click.
A section page's entries (the sections are pages of their own) compare the same way, entry by
entry. Other StreamFields compare as Wagtail compares them.
"""

from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.admin.compare import StreamFieldComparison, get_comparison_class_for_block

from blog.blocks import CompilationBodyBlock, EntriesBlock


def _moved_ids(ids_a, ids_b):
    """Ids present on both sides that left the longest common order: the blocks that moved."""
    common = set(ids_a) & set(ids_b)
    a = [i for i in ids_a if i in common]
    b = [i for i in ids_b if i in common]
    kept = set()
    for match in SequenceMatcher(a=a, b=b, autojunk=False).get_matching_blocks():
        kept.update(a[match.a : match.a + match.size])
    return common - kept


def _classify(comparisons, moved):
    """(state, comparison) for each: added, removed, moved, changed or unchanged."""
    for comparison in comparisons:
        if comparison.is_new():
            yield "added", comparison
        elif comparison.is_deleted():
            yield "removed", comparison
        else:
            child_id = getattr(comparison, "child_id", None)
            if comparison.has_changed():
                yield ("moved and changed" if child_id in moved else "changed"), comparison
            elif child_id in moved:
                yield "moved", comparison
            else:
                yield "unchanged", comparison


def _ids(stream_value):
    """Block ids in order; positions instead when some block has none (data saved before
    blocks had ids), so that blocks are at least matched by place."""
    ids = [child.id for child in stream_value]
    return ids if all(ids) else [f"#{n}" for n in range(len(ids))]


def _comparisons(block, val_a, val_b):
    """A comparison per child block, in the new order with removed blocks where they were, each
    tagged with its id; and the ids of the blocks that moved."""
    ids_a, ids_b = _ids(val_a), _ids(val_b)
    children_a = dict(zip(ids_a, val_a, strict=True))
    present = set(ids_b)
    out = []
    for child_id, child in zip(ids_b, val_b, strict=True):
        comparison_class = get_comparison_class_for_block(child.block)
        before = children_a.get(child_id)
        if before is not None:
            comparison = comparison_class(child.block, True, True, before.value, child.value)
        else:
            comparison = comparison_class(child.block, False, True, None, child.value)
        comparison.child_id = child_id
        out.append(comparison)
    # A removed block goes right after the block that came before it in the old order (kept or
    # removed itself), or first.
    by_id = {comparison.child_id: comparison for comparison in out}
    after = None
    for child_id, child in zip(ids_a, val_a, strict=True):
        if child_id in present:
            after = by_id[child_id]
            continue
        comparison_class = get_comparison_class_for_block(child.block)
        comparison = comparison_class(child.block, True, False, child.value, None)
        comparison.child_id = child_id
        out.insert(0 if after is None else out.index(after) + 1, comparison)
        after = comparison
    return out, _moved_ids(ids_a, ids_b)


def _entry_label(value):
    page = value.get("page") if hasattr(value, "get") else None
    if page is not None:
        return str(page.title)
    return str(value.get("title") or value.get("url") or "")


PLURALS = {"section": "sections", "entry": "entries"}


def _folded(noun, labels):
    if not labels:
        return ""
    count = len(labels)
    summary = f"{count} {noun if count == 1 else PLURALS[noun]} unchanged"
    return format_html(
        '<details class="comparison__folded"><summary>{}</summary><ul>{}</ul></details>',
        summary,
        format_html_join("", "<li>{}</li>", ((label,) for label in labels)),
    )


def _state(state):
    return format_html('<p class="comparison__state"><strong>{}</strong></p>', state.capitalize())


def _render_runs(items, noun, label_of, render_changed):
    parts, folded = [], []
    for state, comparison in items:
        if state == "unchanged":
            folded.append(label_of(comparison.val_a))
            continue
        parts.append(_folded(noun, folded))
        folded = []
        if state == "added":
            body = comparison.htmlvalue(comparison.val_b)
            css = "addition"
        elif state == "removed":
            body = comparison.htmlvalue(comparison.val_a)
            css = "deletion"
        elif state == "moved":
            body = format_html("<p>{}</p>", label_of(comparison.val_b))
            css = ""
        else:
            body = render_changed(comparison)
            css = ""
        parts.append(
            format_html(
                '<div class="comparison__child-object {}">{}{}</div>', css, _state(state), body
            )
        )
    parts.append(_folded(noun, folded))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - built with format_html


def _section_label(value):
    entries = value.get("entries") or []
    return f"{value.get('heading')} ({len(entries)} entries)"


def _render_section(comparison):
    """An edited section: its heading, the fields that changed, the entries that changed."""
    block, val_a, val_b = comparison.block, comparison.val_a, comparison.val_b
    rows = []
    for name, child in block.child_blocks.items():
        if name == "entries" or val_a.get(name) == val_b.get(name):
            continue
        child_class = get_comparison_class_for_block(child)
        diff = child_class(child, True, True, val_a.get(name), val_b.get(name)).htmldiff()
        rows.append((child.label, diff))
    entries_block = block.child_blocks["entries"]
    entries, moved = _comparisons(entries_block, val_a["entries"], val_b["entries"])
    changed_entries = _render_runs(
        _classify(entries, moved), "entry", _entry_label, lambda c: c.htmldiff()
    )
    return format_html(
        "<h3>{}</h3><dl>{}</dl>{}",
        Truncator(val_b.get("heading") or "").chars(120),
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        changed_entries,
    )


class CompilationBodyComparison(StreamFieldComparison):
    """A compilation body compares section by section and entry by entry, a section page's
    entries entry by entry; other StreamFields compare as Wagtail compares them."""

    def htmldiff(self):
        block = self.field.stream_block
        if not isinstance(block, (CompilationBodyBlock, EntriesBlock)) or not (
            self.has_block_ids(self.val_a) and self.has_block_ids(self.val_b)
        ):
            return super().htmldiff()
        children, moved = _comparisons(block, self.val_a, self.val_b)
        if isinstance(block, EntriesBlock):
            return _render_runs(
                _classify(children, moved), "entry", _entry_label, lambda c: c.htmldiff()
            )
        return _render_runs(_classify(children, moved), "section", _section_label, _render_section)
