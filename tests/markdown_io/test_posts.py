"""Markdown files with front matter (markdown_io/posts.py): parsed strictly, turned into the right
blocks."""

import datetime

import pytest

from markdown_io.posts import (
    FrontMatterError,
    blocks_to_markdown,
    body_blocks,
    format_post,
    parse_post,
)

GOOD = """---
title: "Caching: a field guide"
slug: caching
summary: Where caches pay.
date: 2026-03-01
topic: performance
tags: [redis, cache]
authors: [editors]
---
## Why

Words.

```py
cache.set("k", 1)
```

> [!WARNING]
> Invalidate **carefully**.

## Further reading

- [Cache framework](https://docs.djangoproject.com/en/5.2/topics/cache/) — Django docs
"""


def test_front_matter_is_parsed():
    post = parse_post(GOOD, "caching.md")

    assert post.title == "Caching: a field guide"
    assert post.date == datetime.date(2026, 3, 1)
    assert post.tags == ["redis", "cache"] and post.authors == ["editors"]


def test_front_matter_is_yaml_as_static_site_generators_write_it():
    text = GOOD.replace("tags: [redis, cache]", "tags:\n  - redis\n  - cache server")
    text = text.replace("date: 2026-03-01", "date: '2026-03-01'")

    post = parse_post(text, "caching.md")

    assert post.tags == ["redis", "cache server"]
    assert post.date == datetime.date(2026, 3, 1)


def test_comma_separated_lists_are_still_read():
    post = parse_post(GOOD.replace("tags: [redis, cache]", "tags: redis, cache"))

    assert post.tags == ["redis", "cache"]


def test_a_post_without_a_date_follows_its_go_live():
    post = parse_post(GOOD.replace("date: 2026-03-01\n", ""))

    assert post.date is None
    assert "date:" not in format_post(post)


def test_written_front_matter_is_yaml_with_lists_in_brackets():
    text = format_post(parse_post(GOOD))

    assert text.startswith("---\ntitle: 'Caching: a field guide'\nslug: caching\n")
    assert "tags: [redis, cache]\nauthors: [editors]\n" in text
    assert parse_post(text).tags == ["redis", "cache"]


def test_body_becomes_markdown_code_note_and_link_blocks():
    blocks = body_blocks(parse_post(GOOD).body)

    assert [b["type"] for b in blocks] == ["markdown", "code", "note", "links"]
    assert blocks[1]["value"]["language"] == "python"
    assert blocks[1]["value"]["source"] == 'cache.set("k", 1)'
    assert blocks[2]["value"]["kind"] == "warning"
    assert "<strong>carefully</strong>" in blocks[2]["value"]["text"]
    assert blocks[3]["value"]["links"][0]["source"] == "Django docs"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\n", "caching.md:1: the file must start"),
        ("---\ntitle: x\n", "caching.md:1: the front matter has no closing"),
        (GOOD.replace("date: 2026-03-01", "date: March"), "caching.md:5: date must be"),
        (GOOD.replace("topic: performance\n", ""), "missing required key 'topic'"),
        (GOOD.replace("tags:", "colour: red\ntags:"), "caching.md:7: unknown key 'colour'"),
        (GOOD.replace("tags: [redis, cache]", "tags: redis: cache"), "caching.md:7: .*YAML"),
        (
            GOOD.replace('"Caching: a field guide"', "Caching: a field guide"),
            "caching.md:2: .*YAML",
        ),
        (GOOD.replace("tags: [redis, cache]", "tags: {a: b}"), "caching.md:7: tags must be a list"),
    ],
)
def test_bad_front_matter_names_file_and_line(text, message):
    with pytest.raises(FrontMatterError, match=message):
        parse_post(text, "caching.md")


def test_a_runnable_fence_keeps_its_marker_and_file_name_through_export():
    text = "```python runnable orders/admin.py\nx = 1\n```\n"

    [block] = body_blocks(text)
    written, _approximate = blocks_to_markdown([block])

    assert block["value"]["runnable"] and block["value"]["filename"] == "orders/admin.py"
    assert written == text


def test_applies_to_is_read_from_front_matter_and_written_back():
    text = GOOD.replace(
        "authors: [editors]\n", "authors: [editors]\napplies_to: Django 5.2, Celery 5.7\n"
    )

    post = parse_post(text)

    assert post.applies_to == "Django 5.2, Celery 5.7"
    assert format_post(post) == text.replace('"Caching: a field guide"', "'Caching: a field guide'")
