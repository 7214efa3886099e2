"""Comparing two published versions of a compilation's body."""

from changes import diff


def section(block_id, heading, entries=(), reviewed="", anchor=""):
    value = {"heading": heading, "anchor": anchor, "reviewed": reviewed, "entries": list(entries)}
    raw = {"type": "section", "value": value}
    if block_id:
        raw["id"] = block_id
    return raw


def link(block_id, url, title="Doc", annotation="Worth reading."):
    raw = {
        "type": "link",
        "value": {"url": url, "title": title, "source": "Docs", "annotation": annotation},
    }
    if block_id:
        raw["id"] = block_id
    return raw


def post(block_id, page_id, annotation="Ours."):
    raw = {"type": "post", "value": {"page": page_id, "annotation": annotation}}
    if block_id:
        raw["id"] = block_id
    return raw


def kinds(changes):
    return [change.kind for change in changes]


CACHE = "https://example.com/cache/"
DB = "https://example.com/db/"


def test_first_publish_reports_each_section_with_its_entry_count():
    changes = diff.compare(
        None, [section("s1", "Caching", [link("e1", CACHE)]), section("s2", "DB")]
    )
    assert [(c.kind, c.heading, c.anchor, c.current) for c in changes] == [
        (diff.SECTION_ADDED, "Caching", "caching", "1"),
        (diff.SECTION_ADDED, "DB", "db", "0"),
    ]


def test_identical_versions_have_no_changes():
    body = [section("s1", "Caching", [link("e1", CACHE)], reviewed="2026-01-01")]
    assert diff.compare(body, body) == []


def test_removed_section_is_one_change_without_a_link():
    old = [section("s1", "Caching", [link("e1", CACHE)]), section("s2", "DB", [link("e2", DB)])]
    changes = diff.compare(old, [old[0]])
    assert [(c.kind, c.heading, c.anchor) for c in changes] == [(diff.SECTION_REMOVED, "DB", "")]


def test_renamed_section_with_the_same_id_is_not_added_or_removed():
    old = [section("s1", "Caching", [link("e1", CACHE)])]
    new = [section("s1", "Caches", [link("e1", CACHE)])]
    assert diff.compare(old, new) == []


def test_reviewed_date_change_is_reported_with_the_new_date():
    old = [section("s1", "Caching", reviewed="2026-01-01")]
    new = [section("s1", "Caching", reviewed="2026-06-01")]
    (change,) = diff.compare(old, new)
    assert (change.kind, change.previous, change.current) == (
        diff.SECTION_REVIEWED,
        "2026-01-01",
        "2026-06-01",
    )


def test_clearing_the_reviewed_date_is_not_a_review():
    old = [section("s1", "Caching", reviewed="2026-01-01")]
    assert diff.compare(old, [section("s1", "Caching")]) == []


def test_added_and_removed_entries_name_their_section():
    old = [section("s1", "Caching", [link("e1", CACHE, title="Cache docs")])]
    new = [section("s1", "Caching", [link("e2", DB, title="DB docs")])]
    changes = diff.compare(old, new)
    assert [(c.kind, c.title, c.heading, c.anchor) for c in changes] == [
        (diff.ENTRY_ADDED, "DB docs", "Caching", "caching"),
        (diff.ENTRY_REMOVED, "Cache docs", "Caching", ""),
    ]


def test_entry_moved_between_sections_is_one_move():
    old = [section("s1", "Caching", [link("e1", CACHE)]), section("s2", "DB")]
    new = [section("s1", "Caching"), section("s2", "DB", [link("e1", CACHE)])]
    (change,) = diff.compare(old, new)
    assert (change.kind, change.previous, change.heading, change.anchor) == (
        diff.ENTRY_MOVED,
        "Caching",
        "DB",
        "db",
    )


def test_entry_moved_into_a_new_section_is_a_move_as_well():
    old = [section("s1", "Caching", [link("e1", CACHE)])]
    new = [section("s1", "Caching"), section("s2", "Redis", [link("e1", CACHE)])]
    assert kinds(diff.compare(old, new)) == [diff.SECTION_ADDED, diff.ENTRY_MOVED]


def test_reordering_entries_within_a_section_is_not_a_change():
    old = [section("s1", "Caching", [link("e1", CACHE), link("e2", DB)])]
    new = [section("s1", "Caching", [link("e2", DB), link("e1", CACHE)])]
    assert diff.compare(old, new) == []


def test_annotation_change_carries_old_and_new_text():
    old = [section("s1", "Caching", [link("e1", CACHE, annotation="Old words.")])]
    new = [section("s1", "Caching", [link("e1", CACHE, annotation="New words.")])]
    (change,) = diff.compare(old, new)
    assert (change.kind, change.previous, change.current) == (
        diff.ANNOTATION_CHANGED,
        "Old words.",
        "New words.",
    )


def test_link_target_change_carries_old_and_new_url():
    old = [section("s1", "Caching", [link("e1", CACHE)])]
    new = [section("s1", "Caching", [link("e1", DB)])]
    (change,) = diff.compare(old, new)
    assert (change.kind, change.previous, change.url) == (diff.LINK_CHANGED, CACHE, DB)


def test_post_entry_pointed_at_another_post_is_a_link_change():
    old = [section("s1", "Caching", [post("e1", 10)])]
    new = [section("s1", "Caching", [post("e1", 11)])]
    (change,) = diff.compare(old, new)
    assert (change.kind, change.page_id) == (diff.LINK_CHANGED, 11)


def test_entries_without_ids_are_matched_by_url_and_post():
    old = [section(None, "Caching", [link(None, CACHE), post(None, 10, "Old.")])]
    new = [section(None, "Caching", [post(None, 10, "New."), link(None, CACHE)])]
    (change,) = diff.compare(old, new)
    assert (change.kind, change.page_id, change.current) == (diff.ANNOTATION_CHANGED, 10, "New.")


def test_sections_without_ids_are_matched_by_anchor():
    old = [section(None, "Caching", [link(None, CACHE)])]
    new = [section("s1", "Caching", [link("e1", CACHE)])]
    assert diff.compare(old, new) == []


def test_an_entry_replaced_by_another_to_the_same_url_is_not_a_change_of_ids_only():
    # Both versions carry ids: a different id is a different entry, even to the same URL.
    old = [section("s1", "Caching", [link("e1", CACHE, title="First")])]
    new = [section("s1", "Caching", [link("e2", CACHE, title="Second")])]
    assert kinds(diff.compare(old, new)) == [diff.ENTRY_ADDED, diff.ENTRY_REMOVED]


def test_changes_come_in_a_fixed_order_of_kinds():
    old = [
        section("s1", "Caching", [link("e1", CACHE), link("e3", DB, annotation="A.")]),
        section("s2", "Gone"),
    ]
    new = [
        section("s1", "Caching", [link("e3", DB, annotation="B.")], reviewed="2026-02-02"),
        section("s3", "New", [link("e4", "https://example.com/new/")]),
    ]
    assert kinds(diff.compare(old, new)) == [
        diff.SECTION_ADDED,
        diff.SECTION_REVIEWED,
        diff.ANNOTATION_CHANGED,
        diff.ENTRY_REMOVED,
        diff.SECTION_REMOVED,
    ]
